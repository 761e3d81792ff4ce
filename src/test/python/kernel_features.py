"""Talks to the project's Jupyter kernel (dnn-lessons-java, found through JUPYTER_PATH) with
jupyter_client's real messages: complete_request, inspect_request, is_complete_request,
execute_request (a tensor and an image as a cell's value) and an interrupt_request during a
1,000-epoch training cell (its loop in the cell), then one more cell; then an interrupt_request
inside the library's own loop (TrainingRun.run, 1,000 epochs, saving a checkpoint at the end),
then one more cell and the run's directory.

Prints one `KEY VALUE` line per observation (JSON values); KernelFeaturesIT asserts on them.
Usage: JUPYTER_PATH=DIR kernel_features.py
"""
import json
import time

from jupyter_client.manager import start_new_kernel

SETUP = """
import org.tensorflow.*;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.dnnlessons.nn.*;
import org.dnnlessons.data.*;
Graph graph = new Graph();
Ops tf = Ops.create(graph);
Mlp.Network net = Mlp.build(new Graph(), Mlp.Options.lesson().withGraphSeed(1L));
"""

TRAINING = """
int trainingEpochs = 1000;
int batchSize = 128;
MnistDataSets mnist = MnistDataSets.read(new EmbeddedMnist(),
    MnistDataSets.Options.defaults().withReshape(false).withSeed(1));
try (Session sess = net.model().newSession()) {
    sess.run(net.init());
    for (int epoch = 0; epoch < trainingEpochs; epoch++) {
        int totalBatch = mnist.train().numExamples() / batchSize;
        for (int i = 0; i < totalBatch; i++) {
            try (Batch batch = mnist.train().nextBatch(batchSize)) {
                sess.runner().feed(net.x(), batch.images()).feed(net.y(), batch.oneHotLabels())
                    .addTarget(net.trainOp()).run().close();
            }
        }
        System.out.println("Epoch " + (epoch + 1));
    }
}
"""


TRAINING_RUN = """
java.nio.file.Path runDir = java.nio.file.Files.createTempDirectory("interrupted-run");
org.dnnlessons.train.TrainingRunOptions runOptions =
    org.dnnlessons.train.TrainingRunOptions.of(DatasetCatalog.byName("mnist").locate())
        .withNetwork(Mlp.Options.lesson())
        .withTraining(org.dnnlessons.train.TrainOptions.lesson().withEpochs(1000))
        .withSeed(1L)
        .withCheckpoints(
            org.dnnlessons.train.TrainingRunOptions.Checkpoints.to(runDir.resolve("model.ckpt")));
org.dnnlessons.train.TrainingRun.prepare(runOptions).run(System.out, System.err);
"""


def emit(key, value):
    print(key, json.dumps(value), flush=True)


def run(kc, code, timeout=300, on_output=None):
    """Executes code; returns (status, text of streams, results {mime: data}, error)."""
    msg_id = kc.execute(code)
    text, results, error = [], {}, None
    deadline = time.time() + timeout
    while True:
        msg = kc.get_iopub_msg(timeout=max(1, deadline - time.time()))
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "stream":
            text.append(content["text"])
            if on_output:
                on_output("".join(text))
        elif kind in ("execute_result", "display_data"):
            results.update(content["data"])
        elif kind == "error":
            error = content["ename"] + ": " + content["evalue"]
        elif kind == "status" and content["execution_state"] == "idle":
            break
    while True:
        reply = kc.get_shell_msg(timeout=max(1, deadline - time.time()))
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply["content"]["status"], "".join(text), results, error


def main():
    km, kc = start_new_kernel(kernel_name="dnn-lessons-java", startup_timeout=180)
    try:
        status, _, _, error = run(kc, SETUP)
        emit("setup", [status, error])
        time.sleep(5)  # the kernel indexes the class path's packages in the background

        for name, code in [("tf_pl", "tf.pl"), ("Ml", "Ml"), ("net", "net."),
                           ("import", "import org.dnnlessons.n"),
                           ("unimported", "GraphPicture")]:
            reply = kc.complete(code, len(code), reply=True, timeout=60)["content"]
            emit("complete_" + name, {"matches": reply["matches"],
                                      "start": reply["cursor_start"],
                                      "end": reply["cursor_end"]})

        for name, code in [("placeholder", "tf.placeholder("), ("build", "Mlp.build(")]:
            reply = kc.inspect(code, len(code), reply=True, timeout=60)["content"]
            emit("inspect_" + name, {"found": reply["found"],
                                     "text": reply.get("data", {}).get("text/plain", "")})
        reply = kc.inspect("net.logits", 6, reply=True, timeout=60)["content"]
        emit("inspect_name", {"found": reply["found"],
                              "text": reply.get("data", {}).get("text/plain", "")})

        for name, code in [("open_loop", "for (int i = 0; i < 3; i++) {\n"),
                           ("statement", "int x = 6 * 7;"),
                           ("two_lines", "int a = 1;\nint b = a + 1;"),
                           ("invalid", "int x = 1;\n}")]:
            msg_id = kc.is_complete(code)
            while True:
                reply = kc.get_shell_msg(timeout=60)
                if reply["parent_header"].get("msg_id") == msg_id:
                    break
            emit("is_complete_" + name, reply["content"])

        status, _, results, error = run(
            kc, "TFloat32.tensorOf(org.tensorflow.ndarray.StdArrays.ndCopyOf("
                "new float[][] {{1f, 2f}, {3f, 4.5f}}))")
        emit("value_tensor", [status, results.get("text/plain"), error])
        status, _, results, error = run(
            kc, "new java.awt.image.BufferedImage(28, 28,"
                " java.awt.image.BufferedImage.TYPE_BYTE_GRAY)")
        emit("value_image", [status, results.get("image/png", "")[:8], error])

        seen = {}

        def interrupt_after_first_epoch(text):
            if "Epoch 1\n" in text and "sent" not in seen:
                seen["sent"] = time.monotonic()
                km.interrupt_kernel()

        status, text, _, error = run(kc, TRAINING, timeout=600,
                                     on_output=interrupt_after_first_epoch)
        returned = time.monotonic()
        epochs = text.count("Epoch ")
        emit("interrupt", {"status": status, "error": error, "epochs": epochs,
                           "seconds": returned - seen.get("sent", returned)})

        status, text, _, error = run(kc, "System.out.println(6 * 7);")
        emit("after_interrupt", [status, text, error])

        status, text, _, error = run(
            kc, "try (Session s = net.model().newSession()) {\n"
                "    s.run(net.init());\n"
                "    System.out.println(net.variables().size() + \" variables initialized\");\n"
                "}")
        emit("session_after_interrupt", [status, text, error])

        # the library's loop: TrainingRun.run checks the interrupt between two Session.run calls
        seen_run = {}

        def interrupt_after_second_epoch(text):
            if "Epoch 1 " in text and "sent" not in seen_run:
                seen_run["sent"] = time.monotonic()
                km.interrupt_kernel()

        status, text, _, error = run(kc, TRAINING_RUN, timeout=600,
                                     on_output=interrupt_after_second_epoch)
        returned = time.monotonic()
        emit("interrupt_training_run", {
            "status": status, "error": error, "epochs": text.count("Epoch "),
            "seconds": returned - seen_run.get("sent", returned)})
        status, text, _, error = run(kc, "System.out.println(runOptions.training().epochs());")
        emit("after_training_run_interrupt", [status, text, error])
        status, text, _, error = run(
            kc, "try (var files = java.nio.file.Files.list(runDir)) {\n"
                "    files.map(p -> p.getFileName().toString()).sorted()"
                ".forEach(System.out::println);\n"
                "}")
        emit("run_dir_after_interrupt", [status, text, error])
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


if __name__ == "__main__":
    main()
