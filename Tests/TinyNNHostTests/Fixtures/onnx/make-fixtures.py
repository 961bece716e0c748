#!/usr/bin/env python3
"""Makes the ONNX fixtures of ONNXImportTests and onnxruntime's outputs for them.

Needs (pip): onnx onnxruntime scikit-learn skl2onnx, installed with pip (--user) if
missing, and a release build of tinynn (swift build -c release --product tinynn, or
TINYNN=path) for the tinynn-*.onnx files `tinynn export --onnx` writes. Run from anywhere:
    python3 Tests/TinyNNHostTests/Fixtures/onnx/make-fixtures.py
The outputs are committed, so `swift test` needs no Python.

The networks are trained here on Data/digits/digits.csv (rows with index % 5 != 0;
the 360 rows with index % 5 == 0 are the held-out rows compared). torch and
tensorflow are too large to install for a test, so their graphs are written with
onnx.helper in the shape torch.onnx.export (Gemm transB=1, Relu, Softmax axis=1,
raw_data initializers named 0.weight, ...) and tf2onnx (Reshape, MatMul + Add with
[in,out] weights, Tanh, Softmax) write for a stack of Linear / Dense layers; their
weights are scikit-learn MLPClassifier fits. The scikit-learn graphs are skl2onnx's own.

Each NAME.onnx comes with NAME.expected: one line per held-out row,
`row class p0 p1 ...`, onnxruntime's predicted class and probabilities (float32,
printed with 9 significant digits, which read back to the same float).
"""
import os
import subprocess
import sys

try:
    import onnx, onnxruntime, sklearn, skl2onnx  # noqa: F401
except ImportError:
    subprocess.check_call([sys.executable, "-m", "pip", "install", "--user", "onnx", "onnxruntime", "scikit-learn",
                           "skl2onnx"])
import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto
import onnxruntime as ort
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from skl2onnx import to_onnx

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "../../../.."))
data = np.loadtxt(os.path.join(ROOT, "Data/digits/digits.csv"), delimiter=",", skiprows=1)
X = data[:, :64].astype(np.float32)
y = data[:, 64].astype(np.int64)
rows = np.arange(len(X))
train, held = rows[rows % 5 != 0], rows[rows % 5 == 0]


def fit(hidden, activation, labels=y, scaled=False):
    mlp = MLPClassifier(hidden, activation=activation, max_iter=300, random_state=1)
    model = make_pipeline(StandardScaler(), mlp) if scaled else mlp
    model.fit(X[train], labels[train])
    print(f"  {activation} {hidden}: held-out accuracy {model.score(X[held], labels[held]):.4f}")
    return model, mlp


def tensor(name, array, raw=True):
    array = np.asarray(array)
    if raw:
        return numpy_helper.from_array(array, name)
    kind = TensorProto.DOUBLE if array.dtype == np.float64 else TensorProto.FLOAT
    return helper.make_tensor(name, kind, array.shape, array.flatten().tolist())


def save(name, model_proto, probabilities, written=False):
    """Writes NAME.onnx (unless written: tinynn's own bytes stay as they are) and NAME.expected."""
    onnx.checker.check_model(model_proto, full_check=True)
    path = os.path.join(HERE, name + ".onnx")
    if not written:
        onnx.save(model_proto, path)
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    probs = probabilities(session)
    with open(os.path.join(HERE, name + ".expected"), "w") as f:
        for r, p in zip(held, probs):
            f.write(" ".join([str(r), str(int(np.argmax(p)))] + [f"{float(v):.9g}" for v in p]) + "\n")
    print(f"wrote {name}.onnx and {name}.expected ({len(held)} rows)")


def run_plain(session):
    return session.run(None, {session.get_inputs()[0].name: X[held]})[0]


def torch_style(mlp, name, leaky_alpha=None, dtype=np.float32):
    """As torch.onnx.export writes nn.Sequential(Linear, ReLU, ..., Linear, Softmax(dim=1))."""
    nodes, inits, value = [], [], "input"
    for l, (w, b) in enumerate(zip(mlp.coefs_, mlp.intercepts_)):
        k = 2 * l
        inits += [tensor(f"{k}.weight", w.T.astype(dtype)), tensor(f"{k}.bias", b.astype(dtype))]
        out = f"/{k}/Gemm_output_0"
        nodes.append(helper.make_node("Gemm", [value, f"{k}.weight", f"{k}.bias"], [out], name=f"/{k}/Gemm",
                                      alpha=1.0, beta=1.0, transB=1))
        value = out
        last = l == len(mlp.coefs_) - 1
        if last:
            nodes.append(helper.make_node("Softmax", [value], ["output"], name=f"/{k + 1}/Softmax", axis=1))
        elif leaky_alpha is not None:
            out = f"/{k + 1}/LeakyRelu_output_0"
            nodes.append(helper.make_node("LeakyRelu", [value], [out], name=f"/{k + 1}/LeakyRelu", alpha=leaky_alpha))
            value = out
        else:
            out = f"/{k + 1}/Relu_output_0"
            nodes.append(helper.make_node("Relu", [value], [out], name=f"/{k + 1}/Relu"))
            value = out
    graph = helper.make_graph(
        nodes, "main_graph",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch_size", 64])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, ["batch_size", mlp.coefs_[-1].shape[1]])], inits)
    model = helper.make_model(graph, producer_name="pytorch", producer_version="2.5.1",
                              opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    return model


def tf2onnx_style(mlp):
    """As tf2onnx writes a Keras Sequential(Flatten, Dense(tanh), Dense(softmax))."""
    nodes = [helper.make_node("Reshape", ["input_1", "const_fold_opt__12"], ["sequential/flatten/Reshape:0"],
                              name="sequential/flatten/Reshape")]
    inits = [tensor("const_fold_opt__12", np.array([-1, 64], dtype=np.int64))]
    value = "sequential/flatten/Reshape:0"
    for l, (w, b) in enumerate(zip(mlp.coefs_, mlp.intercepts_)):
        d = "dense" if l == 0 else f"dense_{l}"
        inits += [tensor(f"sequential/{d}/MatMul/ReadVariableOp:0", w.astype(np.float32)),
                  tensor(f"sequential/{d}/BiasAdd/ReadVariableOp:0", b.astype(np.float32))]
        nodes.append(helper.make_node("MatMul", [value, f"sequential/{d}/MatMul/ReadVariableOp:0"],
                                      [f"sequential/{d}/MatMul:0"], name=f"sequential/{d}/MatMul"))
        nodes.append(helper.make_node("Add", [f"sequential/{d}/MatMul:0", f"sequential/{d}/BiasAdd/ReadVariableOp:0"],
                                      [f"sequential/{d}/BiasAdd:0"], name=f"sequential/{d}/BiasAdd"))
        last = l == len(mlp.coefs_) - 1
        op = "Softmax" if last else "Tanh"
        out = f"sequential/{d}/{op}:0"
        nodes.append(helper.make_node(op, [f"sequential/{d}/BiasAdd:0"], [out], name=f"sequential/{d}/{op}"))
        value = out
    nodes.append(helper.make_node("Identity", [value], [d], name=f"Identity"))
    graph = helper.make_graph(
        nodes, "tf2onnx",
        [helper.make_tensor_value_info("input_1", TensorProto.FLOAT, ["unk__20", 8, 8])],
        [helper.make_tensor_value_info(d, TensorProto.FLOAT, ["unk__21", 10])], inits)
    model = helper.make_model(graph, producer_name="tf2onnx", producer_version="1.16.1 15c810",
                              opset_imports=[helper.make_opsetid("", 15)])
    model.ir_version = 8
    return model


def conv_graph():
    """A Conv first layer, as torch writes nn.Conv2d: must be refused."""
    w = np.zeros((4, 1, 3, 3), dtype=np.float32)
    nodes = [helper.make_node("Conv", ["input", "conv1.weight"], ["/conv1/Conv_output_0"], name="/conv1/Conv",
                              kernel_shape=[3, 3]),
             helper.make_node("Flatten", ["/conv1/Conv_output_0"], ["output"], name="/Flatten", axis=1)]
    graph = helper.make_graph(nodes, "main_graph",
                              [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 1, 8, 8])],
                              [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 144])],
                              [tensor("conv1.weight", w)])
    return helper.make_model(graph, producer_name="pytorch", producer_version="2.5.1",
                             opset_imports=[helper.make_opsetid("", 17)])


print("torch-shaped [64,32,10] relu/softmax, Gemm transB=1:")
_, relu = fit((32,), "relu")
save("torch-mlp", torch_style(relu, "torch-mlp"), run_plain)
save("torch-leaky", torch_style(relu, "torch-leaky", leaky_alpha=0.01), run_plain)
save("torch-leaky2", torch_style(relu, "torch-leaky2", leaky_alpha=0.2), run_plain)
f64 = torch_style(relu, "torch-f64", dtype=np.float64)
for t in f64.graph.initializer:  # float64 written as double_data, not raw_data
    t.CopyFrom(tensor(t.name, numpy_helper.to_array(t), raw=False))
onnx.save(f64, os.path.join(HERE, "torch-f64.onnx"))
print("tf2onnx-shaped [64,32,10] tanh/softmax, Reshape + MatMul + Add:")
_, tanh = fit((32,), "tanh")
save("tf2onnx-mlp", tf2onnx_style(tanh),
     lambda s: s.run(None, {"input_1": X[held].reshape(-1, 8, 8)})[0])
print("skl2onnx StandardScaler + MLPClassifier [64,24,10] relu/softmax:")
pipe, _ = fit((24,), "relu", scaled=True)
proba = lambda s: np.array([[d[k] for k in sorted(d)] for d in s.run(["output_probability"], {"X": X[held]})[0]])
save("skl2onnx-mlp", to_onnx(pipe, X[:1], target_opset=17), proba)
print("skl2onnx MLPClassifier, two classes (digit >= 5) [64,16,1] logistic/sigmoid:")
binary, _ = fit((16,), "logistic", labels=(y >= 5).astype(np.int64))
save("skl2onnx-binary", to_onnx(binary, X[:1], target_opset=15), proba)
onnx.save(conv_graph(), os.path.join(HERE, "torch-conv.onnx"))
print("wrote torch-f64.onnx, torch-conv.onnx (refused or compared to torch-mlp)")

# tinynn export --onnx, run by onnxruntime: a model tinynn trained (min-max scaling
# as a Scaler, sigmoid, softmax) and the 0.2-slope leaky model imported above.
tinynn = os.environ.get("TINYNN", os.path.join(ROOT, ".build/release/tinynn"))
imported = os.path.join(HERE, "torch-leaky2.tnn")
subprocess.check_call([tinynn, "import", os.path.join(HERE, "torch-leaky2.onnx"), "--output", imported])
for name, source in [("tinynn-digits", os.path.join(HERE, "tinynn-digits.tnn")),  # trained by tinynn train
                     ("tinynn-leaky2", imported)]:
    path = os.path.join(HERE, name + ".onnx")
    subprocess.check_call([tinynn, "export", "--onnx", source, "--output", path])
    save(name, onnx.load(path), run_plain, written=True)
os.remove(imported)
