#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check that the Teflon stage's ADD models are what their names say.

    check_add_models.py MODELS_DIR

Mesa fuses an ADD of two convolutions into the producer of its first
operand: the sum of that convolution is added to the other's output before
it is ever rounded to its own output type, where TensorFlow Lite clamps it
first. Where that clamp bites, Mesa's result differs from TensorFlow
Lite's on any NPU that computes what Mesa programs. The models are built
so that it never bites in add_ordered_u8 and add_relu_operand_u8 (a
failure there is the model's or Mesa's ADD itself) and bites in
add_saturated_u8 (expected-failures.txt): this computes both results on
the runner's input (teflon/runner.c fill_input(), seed 1) in floating
point, and exits 1 when a model is not so.
"""
import sys

import numpy as np
import tflite

TOLERANCE = 2
# model -> whether the clamp must make a difference over TOLERANCE
MODELS = {"add_ordered_u8": False, "add_relu_operand_u8": False, "add_saturated_u8": True}


def runner_input(n, seed=1):
    """teflon/runner.c fill_input(): xorshift32, the top byte of each step."""
    x = (seed * 2654435761 + 1) & 0xFFFFFFFF
    out = np.empty(n, np.uint8)
    for i in range(n):
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        out[i] = x >> 24
    return out


def check(path, must_differ):
    buf = open(path, "rb").read()
    model = tflite.Model.GetRootAsModel(buf, 0)
    graph = model.Subgraphs(0)

    def tensor(i):
        t = graph.Tensors(i)
        q = t.Quantization()
        return (t.ShapeAsNumpy(), q.Scale(0), q.ZeroPoint(0),
                model.Buffers(t.Buffer()).DataAsNumpy())

    ops = [graph.Operators(i) for i in range(graph.OperatorsLength())]
    shape = tensor(ops[0].Inputs(0))[0]
    x = runner_input(int(np.prod(shape))).reshape(-1, shape[-1]).astype(np.float64)
    clamped, raw = {ops[0].Inputs(0): x}, {}
    for op in ops:
        ins = [op.Inputs(j) for j in range(op.InputsLength())]
        _, so, zo, _ = tensor(op.Outputs(0))
        if len(ins) == 3:  # a 1x1 convolution
            _, sx, zx, _ = tensor(ins[0])
            ws, sw, zw, wb = tensor(ins[1])
            _, _, _, bb = tensor(ins[2])
            assert ws[1] == 1 and ws[2] == 1, "only 1x1 convolutions"
            w = wb.view(np.uint8).reshape(ws[0], ws[-1]).astype(np.float64)
            acc = (clamped[ins[0]] - zx) @ (w - zw).T + bb.view(np.int32)
            raw[op.Outputs(0)] = acc * sx * sw / so + zo
            clamped[op.Outputs(0)] = np.clip(np.round(raw[op.Outputs(0)]), 0, 255)
        else:
            # The ADD: TensorFlow Lite's, and Mesa's, fused into the
            # producer of its first operand (rkt_ml.c), whose sum is not
            # clamped; the second operand is a written, clamped output.
            (a, b), res = ins, {}
            _, sa, za, _ = tensor(a)
            _, sb, zb, _ = tensor(b)
            for name, va in (("tflite", clamped[a]), ("fused", raw[a])):
                r = ((va - za) * sa + (clamped[b] - zb) * sb) / so + zo
                res[name] = np.clip(np.round(r), 0, 255)
    over = int((np.abs(res["tflite"] - res["fused"]) > TOLERANCE).sum())
    ok = (over > 0) == must_differ
    print(f"{'PASS' if ok else 'FAIL'} teflon-models {path.rsplit('/', 1)[-1]}: "
          f"{over} elements where clamping the convolutions first changes the ADD "
          f"by more than {TOLERANCE} ({'must' if must_differ else 'must not'})")
    return ok


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    ok = all([check(f"{sys.argv[1]}/{m}.tflite", d) for m, d in MODELS.items()])
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
