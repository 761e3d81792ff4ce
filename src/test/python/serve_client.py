"""A TensorFlow Serving REST client as TensorFlow Serving's documentation writes one, against serve.

Usage: serve_client.py URL IMAGES.json
  URL          the server's base URL, http://127.0.0.1:PORT
  IMAGES.json  a list of 28x28 images (lists of rows of floats from 0 to 1)

The predict call is the one of TensorFlow Serving's Keras tutorial ("Train and serve a TensorFlow
model with TensorFlow Serving"): json.dumps({"signature_name": "serving_default", "instances":
images.tolist()}) posted with requests to /v1/models/NAME:predict, images shaped (n, 28, 28, 1).
Prints:
  status VERSION STATE ERROR_CODE
  predictions JSON          (the row form's answer, as parsed by json.loads)
  outputs JSON              (the columnar form's answer for the same images)
  classify JSON             (:classify's results for the first image)
  error STATUS MESSAGE      (for a NaN pixel, an unknown model, a GET on :predict)
"""
import json
import sys

import numpy as np
import requests

url, images_file = sys.argv[1], sys.argv[2]
with open(images_file) as f:
    images = np.array(json.load(f), dtype=np.float32).reshape(-1, 28, 28, 1)

r = requests.get(f"{url}/v1/models/mnist")
r.raise_for_status()
s = r.json()["model_version_status"][0]
print("status", s["version"], s["state"], s["status"]["error_code"])

headers = {"content-type": "application/json"}
data = json.dumps({"signature_name": "serving_default", "instances": images.tolist()})
json_response = requests.post(f"{url}/v1/models/mnist:predict", data=data, headers=headers)
json_response.raise_for_status()
predictions = json.loads(json_response.text)["predictions"]
print("predictions", json.dumps(predictions))

r = requests.post(f"{url}/v1/models/mnist:predict", json={"inputs": {"x": images.tolist()}})
r.raise_for_status()
print("outputs", json.dumps(r.json()["outputs"]))

r = requests.post(
    f"{url}/v1/models/mnist:classify",
    json={"examples": [{"x": images[0].reshape(784).tolist()}]})
r.raise_for_status()
print("classify", json.dumps(r.json()["results"]))

bad = images[:1].copy()
bad[0, 3, 4, 0] = np.nan
# Python's json writes NaN as the bare token NaN, as TensorFlow Serving's JSON conformance allows
r = requests.post(f"{url}/v1/models/mnist:predict", data=json.dumps({"instances": bad.tolist()}))
print("error", r.status_code, r.json()["error"])
r = requests.post(f"{url}/v1/models/other:predict", data=data)
print("error", r.status_code, r.json()["error"])
r = requests.get(f"{url}/v1/models/mnist:predict")
print("error", r.status_code, r.json()["error"])
