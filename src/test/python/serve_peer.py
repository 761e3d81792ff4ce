"""The Python side of `bench --serve`: the same model served from Python, as a small Flask app
calling Keras predict, answering TensorFlow Serving's :predict row form.

Usage: serve_peer.py MODEL.keras
Prints "listening PORT" once it accepts requests on 127.0.0.1 (a free port), then serves until
killed. POST /v1/models/mnist:predict {"instances": [...]} (images [28, 28, 1], [28, 28] or [784],
pixels 0 to 1) answers {"predictions": [{"probabilities": [...], "classes": k}, ...]}, the
probabilities a softmax of the model's output (the lesson's exported model ends with its logits).
Flask's own threaded server (werkzeug) is used: what a small Python service starts with.
"""
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import flask  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

model = keras.models.load_model(sys.argv[1])
app = flask.Flask(__name__)


def softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


@app.post("/v1/models/mnist:predict")
def predict():
    body = flask.request.get_json(force=True)
    x = np.asarray(body["instances"], dtype=np.float32).reshape(-1, 28, 28, 1)
    p = softmax(model.predict(x, verbose=0))
    return flask.jsonify(
        predictions=[{"probabilities": row.tolist(), "classes": int(row.argmax())} for row in p])


model.predict(np.zeros((1, 28, 28, 1), np.float32), verbose=0)  # warm up
server = make_server("127.0.0.1", 0, app, threaded=True)
print("listening", server.server_port, flush=True)
server.serve_forever()
