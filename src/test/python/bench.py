"""The Python side of `java -jar target/dnn-lessons.jar bench`.

Prints one line per task, `time NAME t1 t2 ...` (seconds per repetition, after one warm-up) or
`value NAME v1 v2 ...`. Every task mirrors the Java one it is compared with:
  --fashion FILE        gzip + frombuffer of Fashion-MNIST's training images
  --eval                accuracy over the 2,000 embedded test digits, 50 runs per repetition
  --serve               the lesson's MLP (784-256-10, GradientDescent 0.001) trained on request, so
                        that Java can interleave its repetitions with Python's, by the peers of
                        --peers (default: lesson, the tf.compat.v1 loop; see bench_peers.py):
                        `train PEER BATCH STEPS` answers `time PEER BATCH SECONDS`;
                        `train BATCH STEPS` (the lesson) answers `time train_bBATCH SECONDS`;
                        `check PEER BATCH WEIGHTS INDICES` trains from the weights (raw float32)
                        on the batches (raw int32) and answers `loss PEER BATCH VALIDATION_LOSS`;
                        `describe PEER` names its runtime; `quit` or end of input stops
  --ckpt DIR            tf.compat.v1 Saver save and restore of 64 float32 variables of 4 MB
                        (--ckpt-reps N repetitions: this machine's disk stalls a save now and then)
"""
import argparse
import gzip
import os
import shutil
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np


def timed(reps, fn, before=None):
    """Seconds of each of reps calls of fn, after one warm-up call; before, when given, runs
    untimed ahead of every call."""
    out = []
    for rep in range(reps + 1):
        if before:
            before()
        start = time.perf_counter()
        fn()
        if rep > 0:
            out.append(time.perf_counter() - start)
    return out


def emit(name, values):
    print("time %s %s" % (name, " ".join("%.6f" % v for v in values)), flush=True)


def load_idx_images(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, count, rows, cols = np.frombuffer(data, ">u4", count=4)
    assert magic == 2051
    return np.frombuffer(data, np.uint8, offset=16).reshape(count, rows, cols)


def serve(data, peers, requests, answers):
    """Answers requests line by line (see bench_peers.Server.handle) until `quit` or the end."""
    from bench_peers import Data, Server
    server = Server(Data(data), peers)
    print("ready", file=answers, flush=True)
    for line in requests:
        words = line.split()
        if not words or words[0] == "quit":
            break
        print(server.handle(words), file=answers, flush=True)


EVAL_RUNS = 50  # accuracy runs per repetition: one run is a few milliseconds


def evaluation(reps, data):
    from lesson_graphs import Mlp, read_mnist, tf
    _, _, test_x, test_y = read_mnist(data, 1000)
    with tf.Graph().as_default():
        net = Mlp([256], seed=1)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            def runs():
                for _ in range(EVAL_RUNS):
                    sess.run(net.accuracy, {net.x: test_x, net.y: test_y})

            emit("eval", timed(reps, runs))


def checkpoints(reps, directory):
    from lesson_graphs import tf
    with tf.Graph().as_default():
        variables = [tf.Variable(tf.random_normal([1024, 1024], seed=i), name="v%02d" % i)
                     for i in range(64)]
        saver = tf.train.Saver(max_to_keep=1)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            prefix = os.path.join(directory, "big.ckpt")
            # every save starts with no dirty pages left by the one before (os.sync, untimed),
            # as Java's do: otherwise the kernel's write-back decides who is faster
            emit("ckpt_save", timed(reps, lambda: saver.save(sess, prefix,
                                                             write_meta_graph=False),
                                    before=os.sync))
            emit("ckpt_restore", timed(reps, lambda: saver.restore(sess, prefix)))
    shutil.rmtree(directory, ignore_errors=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--ckpt-reps", type=int, help="repetitions of the checkpoint rows (--reps)")
    p.add_argument("--fashion")
    p.add_argument("--eval", action="store_true")
    p.add_argument("--ckpt")
    p.add_argument("--data", default="data/mnist")
    p.add_argument("--serve", action="store_true")
    p.add_argument("--peers", default="lesson",
                   help="with --serve: the peers this process serves (bench_peers.PEERS)")
    a = p.parse_args()
    if a.serve:
        import sys
        serve(a.data, a.peers.split(","), sys.stdin, sys.stdout)
        return
    if a.fashion:
        emit("load_fashion_train_images", timed(a.reps, lambda: load_idx_images(a.fashion)))
    if a.eval:
        evaluation(a.reps, a.data)
    if a.ckpt:
        os.makedirs(a.ckpt, exist_ok=True)
        checkpoints(a.ckpt_reps or a.reps, a.ckpt)


if __name__ == "__main__":
    main()
