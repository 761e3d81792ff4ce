"""Process start to the first training step: import TensorFlow, read the embedded digits, build
the lesson's MLP, initialize, run one train_op, exit. Timed from outside by the Java benchmark."""
from lesson_graphs import DataSet, Mlp, read_mnist, tf

train_x, train_y, _, _ = read_mnist("data/mnist", 1000)
with tf.Graph().as_default():
    net = Mlp([256], seed=1)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        bx, by = DataSet(train_x, train_y).next_batch(128)
        sess.run(net.train_op, {net.x: bx, net.y: by})
