"""The peers `bench` times beside Java's `train`: the lesson's network (784-256-10, float32, plain
gradient descent at 0.001, mean softmax cross-entropy) trained the way a user of each runtime
would write it in 2026. Served by `bench.py --serve --peers NAME,...`.

Every peer holds the 7,000 training images as float32 (784 per row) and their labels, and trains
on batches of indices into them:
  lesson          the lesson's tf.compat.v1 loop: next_batch + sess.run(train_op, feed_dict)
  tf_function     TF 2 tf.function, K unrolled steps per call, tf.Variable (resource) weights
  tf_function_xla the same with jit_compile=True (XLA)
  jax_jit         JAX, one jax.jit step per call
  jax_scan        JAX, K steps per call in one jax.jit (lax.scan)
  torch_eager     PyTorch eager: forward, autograd, in-place SGD update
  torch_compile   the same forward and loss through torch.compile (Inductor), eager update

Each peer:
  set_weights(ws)       the four arrays, in Java's variable order: W1 [784,256], W2 [256,10],
                        b1 [256], b2 [10]
  train(indices)        one step per row of indices ([steps, batch], int32)
  loss(x, labels)       the mean cross-entropy on x [n, 784] with integer labels
  run_steps(steps)      `steps` steps on batches from its own sampler (a permutation per epoch),
                        finished (synchronized) before it returns
"""
import gzip
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np

LEARNING_RATE = 0.001
STEPS_PER_CALL = 8  # K, as train's --steps-per-run
SHAPES = [(784, 256), (256, 10), (256,), (10,)]


class Data:
    """data/mnist as read_data_sets(reshape=True) gives it: floats uint8 * (1/255), the first
    1,000 training images held out for validation."""

    def __init__(self, directory, validation_size=1000):
        def raw(name, offset):
            with gzip.open(os.path.join(directory, name + ".gz"), "rb") as f:
                return np.frombuffer(f.read(), np.uint8, offset=offset)

        pixels = raw("train-images-idx3-ubyte", 16).reshape(-1, 784)
        labels = raw("train-labels-idx1-ubyte", 8).astype(np.int32)
        floats = pixels.astype(np.float32) * np.float32(1.0 / 255.0)
        self.train_x, self.train_y = floats[validation_size:], labels[validation_size:]
        self.valid_x, self.valid_y = floats[:validation_size], labels[:validation_size]
        self.train_onehot = np.eye(10, dtype=np.float32)[self.train_y]


def initial_weights(seed=1):
    """Standard-normal weights (the lesson's stddev 1), the same for every peer."""
    rng = np.random.RandomState(seed)
    return [rng.standard_normal(s).astype(np.float32) for s in SHAPES]


def read_weights(path):
    flat = np.fromfile(path, "<f4")
    out, at = [], 0
    for s in SHAPES:
        n = int(np.prod(s))
        out.append(flat[at:at + n].reshape(s).copy())
        at += n
    if at != flat.size:
        raise SystemExit("%s: expected %d floats, found %d" % (path, at, flat.size))
    return out


class Sampler:
    """Batches of indices: a fresh permutation per epoch (as next_batch shuffles)."""

    def __init__(self, n, batch, seed=1):
        self.n, self.batch = n, batch
        self.rng = np.random.RandomState(seed)
        self.order, self.at = self.rng.permutation(n).astype(np.int32), 0

    def next(self, count):
        out = np.empty((count, self.batch), np.int32)
        for i in range(count):
            if self.at + self.batch > self.n:
                self.order, self.at = self.rng.permutation(self.n).astype(np.int32), 0
            out[i] = self.order[self.at:self.at + self.batch]
            self.at += self.batch
        return out


def softmax_cross_entropy(logits, labels):
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-log_probs[np.arange(len(labels)), labels].mean())


class Peer:
    k = 1

    def __init__(self, data, batch):
        self.data, self.batch = data, batch
        self.sampler = Sampler(len(data.train_x), batch)

    def run_steps(self, steps):
        done = 0
        while done < steps:
            j = min(self.k, steps - done)
            self.train(self.sampler.next(j))
            done += j
        self.sync()

    def sync(self):
        pass

    def loss(self, x, labels):
        w1, w2, b1, b2 = self.get_weights()
        h = np.maximum(x @ w1 + b1, 0)
        return softmax_cross_entropy(h @ w2 + b2, labels)


class Lesson(Peer):
    """The lesson's own loop, as bench.py has always timed it."""

    def __init__(self, data, batch):
        super().__init__(data, batch)
        from lesson_graphs import Mlp, tf
        self.tf = tf
        self.graph = tf.Graph()
        with self.graph.as_default():
            self.net = Mlp([256], seed=1)
            self.sess = tf.Session(graph=self.graph)
            self.sess.run(tf.global_variables_initializer())
            self.placeholders = [tf.placeholder(tf.float32, s) for s in SHAPES]
            variables = self.net.weights + self.net.biases
            self.assign = [v.assign(p) for v, p in zip(variables, self.placeholders)]
        self.x4 = data.train_x.reshape(-1, 28, 28, 1)

    def set_weights(self, ws):
        self.sess.run(self.assign, dict(zip(self.placeholders, ws)))

    def get_weights(self):
        return self.sess.run(self.net.weights + self.net.biases)

    def train(self, indices):
        for row in indices:
            self.sess.run(self.net.train_op, {self.net.x: self.x4[row],
                                              self.net.y: self.data.train_onehot[row]})


class TfFunction(Peer):
    k = STEPS_PER_CALL

    def __init__(self, data, batch, jit_compile):
        super().__init__(data, batch)
        import tensorflow as tf
        self.tf = tf
        self.x = tf.constant(data.train_x)
        self.y = tf.constant(data.train_onehot)
        self.vars = [tf.Variable(w) for w in initial_weights()]
        w1, w2, b1, b2 = self.vars
        x_all, y_all = self.x, self.y

        @tf.function(jit_compile=jit_compile)
        def steps(indices):
            cost = tf.constant(0.0)
            for s in range(indices.shape[0]):  # unrolled, as train unrolls its K steps
                xb = tf.gather(x_all, indices[s])
                yb = tf.gather(y_all, indices[s])
                with tf.GradientTape() as tape:
                    h = tf.nn.relu(tf.matmul(xb, w1) + b1)
                    logits = tf.matmul(h, w2) + b2
                    cost = tf.reduce_mean(
                        tf.nn.softmax_cross_entropy_with_logits(labels=yb, logits=logits))
                grads = tape.gradient(cost, self.vars)
                for v, g in zip(self.vars, grads):
                    v.assign_sub(LEARNING_RATE * g)
            return cost

        self.steps = steps
        self.last = None

    def set_weights(self, ws):
        for v, w in zip(self.vars, ws):
            v.assign(w)

    def get_weights(self):
        return [v.numpy() for v in self.vars]

    def train(self, indices):
        for at in range(0, len(indices), self.k):
            self.last = self.steps(self.tf.constant(indices[at:at + self.k]))

    def sync(self):
        if self.last is not None:
            self.last.numpy()


class Jax(Peer):
    def __init__(self, data, batch, scan):
        super().__init__(data, batch)
        import jax
        import jax.numpy as jnp
        self.jax = jax
        self.k = STEPS_PER_CALL if scan else 1
        self.x = jnp.asarray(data.train_x)
        self.y = jnp.asarray(data.train_onehot)
        self.params = [jnp.asarray(w) for w in initial_weights()]

        def cost(params, xb, yb):
            w1, w2, b1, b2 = params
            h = jax.nn.relu(xb @ w1 + b1)
            logits = h @ w2 + b2
            return -jnp.mean(jnp.sum(yb * jax.nn.log_softmax(logits), axis=1))

        def step(params, x, y, idx):
            c, grads = jax.value_and_grad(cost)(params, x[idx], y[idx])
            return [p - LEARNING_RATE * g for p, g in zip(params, grads)], c

        def steps(params, x, y, indices):
            return jax.lax.scan(lambda p, idx: step(p, x, y, idx), params, indices)

        self.step = jax.jit(step)
        self.steps = jax.jit(steps)
        self.scan = scan

    def set_weights(self, ws):
        self.params = [self.jax.numpy.asarray(w) for w in ws]

    def get_weights(self):
        return [np.asarray(p) for p in self.params]

    def train(self, indices):
        if self.scan:
            for at in range(0, len(indices), self.k):
                self.params, _ = self.steps(self.params, self.x, self.y, indices[at:at + self.k])
        else:
            for row in indices:
                self.params, _ = self.step(self.params, self.x, self.y, row)

    def sync(self):
        self.jax.block_until_ready(self.params)


class Torch(Peer):
    def __init__(self, data, batch, compiled):
        super().__init__(data, batch)
        import torch
        import torch.nn.functional as F
        self.torch = torch
        self.x = torch.from_numpy(data.train_x)
        self.y = torch.from_numpy(data.train_y.astype(np.int64))
        self.params = [torch.tensor(w, requires_grad=True) for w in initial_weights()]

        def cost(xb, yb, w1, w2, b1, b2):
            h = torch.relu(xb @ w1 + b1)
            return F.cross_entropy(h @ w2 + b2, yb)

        self.cost = torch.compile(cost) if compiled else cost

    def set_weights(self, ws):
        with self.torch.no_grad():
            for p, w in zip(self.params, ws):
                p.copy_(self.torch.from_numpy(w))

    def get_weights(self):
        return [p.detach().numpy().copy() for p in self.params]

    def train(self, indices):
        torch = self.torch
        for row in torch.from_numpy(indices.astype(np.int64)):
            c = self.cost(self.x[row], self.y[row], *self.params)
            grads = torch.autograd.grad(c, self.params)
            with torch.no_grad():
                for p, g in zip(self.params, grads):
                    p.sub_(g * LEARNING_RATE)


PEERS = {
    "lesson": lambda d, b: Lesson(d, b),
    "tf_function": lambda d, b: TfFunction(d, b, False),
    "tf_function_xla": lambda d, b: TfFunction(d, b, True),
    "jax_jit": lambda d, b: Jax(d, b, False),
    "jax_scan": lambda d, b: Jax(d, b, True),
    "torch_eager": lambda d, b: Torch(d, b, False),
    "torch_compile": lambda d, b: Torch(d, b, True),
}


def describe(name):
    """The runtime's version and threads, for the benchmark's header."""
    if name.startswith("jax"):
        import jax
        return "JAX %s (jaxlib, XLA CPU)" % jax.__version__
    if name.startswith("torch"):
        import torch
        return "PyTorch %s, %d threads" % (torch.__version__, torch.get_num_threads())
    import tensorflow as tf
    return "TensorFlow %s" % tf.__version__


class Server:
    """One process's peers, created on first use, one per (peer, batch size)."""

    def __init__(self, data, names):
        for n in names:
            if n not in PEERS:
                raise SystemExit("bench.py --serve: unknown peer %r (known: %s)"
                                 % (n, ", ".join(PEERS)))
        self.data, self.names, self.peers = data, names, {}

    def peer(self, name, batch):
        if name not in self.names:
            raise SystemExit("bench.py --serve: peer %r is not served here" % name)
        key = (name, batch)
        if key not in self.peers:
            self.peers[key] = PEERS[name](self.data, batch)
        return self.peers[key]

    def handle(self, words):
        """One request; returns the answer line."""
        if words[0] == "train" and len(words) == 3:  # the lesson's loop (older form)
            batch, steps = int(words[1]), int(words[2])
            return "time train_b%d %.6f" % (batch, self.time("lesson", batch, steps))
        if words[0] == "train" and len(words) == 4:
            name, batch, steps = words[1], int(words[2]), int(words[3])
            return "time %s %d %.6f" % (name, batch, self.time(name, batch, steps))
        if words[0] == "check" and len(words) == 5:
            # train from the given weights on the given batches; the validation loss after
            name, batch = words[1], int(words[2])
            peer = self.peer(name, batch)
            peer.set_weights(read_weights(words[3]))
            indices = np.fromfile(words[4], "<i4").reshape(-1, batch)
            peer.train(indices)
            peer.sync()
            return "loss %s %d %.9g" % (name, batch,
                                        peer.loss(self.data.valid_x, self.data.valid_y))
        if words[0] == "describe" and len(words) == 2:
            return "describe %s %s" % (words[1], describe(words[1]))
        raise SystemExit("bench.py --serve: cannot read request %r" % " ".join(words))

    def time(self, name, batch, steps):
        peer = self.peer(name, batch)
        start = time.perf_counter()
        peer.run_steps(steps)
        return time.perf_counter() - start
