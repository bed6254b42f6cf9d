#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write the Teflon stage's test models: small per-tensor quantized
TensorFlow Lite models, built here with the flatbuffer builders of the
`tflite` package (TFLite's schema, generated), no converter and no model hub.

  make_models.py OUTDIR
      write OUTDIR/<name>.tflite for every model and OUTDIR/models.txt,
      one line per model: "<name> <tolerance> <description>".

Weights, biases and quantization are drawn from a fixed seed per model, so
the files are the same on every machine and every run. The expected result
is not computed here: the runner takes TensorFlow Lite's own CPU kernels as
the reference, on the same input, in the VM.

Quantization is chosen so that outputs use most of their range: for an
accumulator of K products of inputs and weights spread evenly over their
ranges, the output scale covers about +-4 standard deviations of the real
sum (half of that, from 0, after a ReLU).
"""

import math
import random
import sys
import zlib

import flatbuffers
import tflite

# What Mesa's own Teflon tests accept between the NPU and the CPU, in
# quantized units of the output: TOLERANCE in
# src/gallium/targets/teflon/test_teflon.cpp (Mesa, e.g. bminor/mesa-mesa
# 0213eef3b358), used there for single operations and whole models alike.
TOLERANCE = 2

U8 = tflite.TensorType.UINT8
I8 = tflite.TensorType.INT8
I32 = tflite.TensorType.INT32

ACT = {
    None: tflite.ActivationFunctionType.NONE,
    "relu": tflite.ActivationFunctionType.RELU,
    "relu6": tflite.ActivationFunctionType.RELU6,
}


class Quant:
    """Per-tensor affine quantization: real = scale * (q - zero_point)."""

    def __init__(self, scale, zero_point):
        self.scale = float(scale)
        self.zero_point = int(zero_point)


def qrange(ttype):
    return (0, 255) if ttype == U8 else (-128, 127)


class Graph:
    """One subgraph being built: tensors, constant buffers, operators."""

    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.tensors = []  # (name, shape, type, buffer index, Quant or None)
        self.buffers = [b""]  # buffer 0: the empty buffer, by convention
        self.ops = []  # (opcode, inputs, outputs, options type, options fn)
        self.inputs = []
        self.outputs = []

    def tensor(self, name, shape, ttype, quant, data=None):
        buf = 0
        if data is not None:
            self.buffers.append(bytes(data))
            buf = len(self.buffers) - 1
        self.tensors.append((name, list(shape), ttype, buf, quant))
        return len(self.tensors) - 1

    def shape(self, t):
        return self.tensors[t][1]

    def ttype(self, t):
        return self.tensors[t][2]

    def quant(self, t):
        return self.tensors[t][4]

    def input(self, name, shape, ttype):
        # Real values in [-1, 1] (uint8) or about that (int8): a zero
        # point off the middle, as converters produce.
        lo, hi = qrange(ttype)
        zp = (lo + hi + 1) // 2 + self.rng.randint(-8, 8)
        t = self.tensor(name, shape, ttype, Quant(2.0 / 255, zp))
        self.inputs.append(t)
        return t

    def _weights(self, name, shape, ttype):
        """Random weights, real values in about [-0.5, 0.5]."""
        n = math.prod(shape)
        if ttype == U8:
            zp = 128 + self.rng.randint(-10, 10)
            q = [self.rng.randint(0, 255) for _ in range(n)]
            data = bytes(q)
        else:
            # TFLite's int8 kernels need symmetric weights: zero point 0.
            zp = 0
            q = [self.rng.randint(-127, 127) for _ in range(n)]
            data = bytes(v & 0xFF for v in q)
        quant = Quant(1.0 / 255, zp)
        return self.tensor(name, shape, ttype, quant, data), quant

    def _bias(self, name, n, scale, spread):
        """int32 bias with scale input_scale * weight_scale, spread real."""
        q = [round(self.rng.uniform(-spread, spread) / scale) for _ in range(n)]
        data = b"".join(int(v).to_bytes(4, "little", signed=True) for v in q)
        return self.tensor(name, [n], I32, Quant(scale, 0), data)

    def _output_quant(self, ttype, sigma, act, spread=4.0):
        lo, hi = qrange(ttype)
        if act is None:
            return Quant(2 * spread * sigma / 255, (lo + hi + 1) // 2)
        # ReLU: the range starts at 0; RELU6 never goes above 6.
        top = 4.0 * sigma if act == "relu" else min(4.0 * sigma, 6.0)
        return Quant(top / 255, lo)

    def conv(self, x, out_ch, k, stride, padding, act=None, depthwise=False, name=None,
             spread=4.0):
        n, h, w, in_ch = self.shape(x)
        ttype = self.ttype(x)
        qin = self.quant(x)
        name = name or f"op{len(self.ops)}"
        if depthwise:
            assert out_ch == in_ch
            wt, qw = self._weights(name + "/weights", [1, k, k, out_ch], ttype)
            terms = k * k
        else:
            wt, qw = self._weights(name + "/weights", [out_ch, k, k, in_ch], ttype)
            terms = k * k * in_ch
        # Input real values spread over about 255 * in_scale, uniformly;
        # weights over about 1: the sum of `terms` products.
        x_sd = 255 * qin.scale / math.sqrt(12)
        w_sd = 1.0 / math.sqrt(12)
        sigma = math.sqrt(terms) * x_sd * w_sd
        b = self._bias(name + "/bias", out_ch, qin.scale * qw.scale, sigma)
        if padding == "same":
            oh, ow = -(-h // stride), -(-w // stride)
        else:
            oh, ow = (h - k) // stride + 1, (w - k) // stride + 1
        y = self.tensor(name + "/out", [n, oh, ow, out_ch], ttype,
                        self._output_quant(ttype, sigma, act, spread))
        pad = tflite.Padding.SAME if padding == "same" else tflite.Padding.VALID

        if depthwise:
            def options(fb):
                tflite.DepthwiseConv2DOptionsStart(fb)
                tflite.DepthwiseConv2DOptionsAddPadding(fb, pad)
                tflite.DepthwiseConv2DOptionsAddStrideW(fb, stride)
                tflite.DepthwiseConv2DOptionsAddStrideH(fb, stride)
                tflite.DepthwiseConv2DOptionsAddDepthMultiplier(fb, 1)
                tflite.DepthwiseConv2DOptionsAddFusedActivationFunction(fb, ACT[act])
                tflite.DepthwiseConv2DOptionsAddDilationWFactor(fb, 1)
                tflite.DepthwiseConv2DOptionsAddDilationHFactor(fb, 1)
                return tflite.DepthwiseConv2DOptionsEnd(fb)
            self.ops.append((tflite.BuiltinOperator.DEPTHWISE_CONV_2D, [x, wt, b], [y],
                             tflite.BuiltinOptions.DepthwiseConv2DOptions, options))
        else:
            def options(fb):
                tflite.Conv2DOptionsStart(fb)
                tflite.Conv2DOptionsAddPadding(fb, pad)
                tflite.Conv2DOptionsAddStrideW(fb, stride)
                tflite.Conv2DOptionsAddStrideH(fb, stride)
                tflite.Conv2DOptionsAddFusedActivationFunction(fb, ACT[act])
                tflite.Conv2DOptionsAddDilationWFactor(fb, 1)
                tflite.Conv2DOptionsAddDilationHFactor(fb, 1)
                return tflite.Conv2DOptionsEnd(fb)
            self.ops.append((tflite.BuiltinOperator.CONV_2D, [x, wt, b], [y],
                             tflite.BuiltinOptions.Conv2DOptions, options))
        return y

    def add(self, a, b, act=None, name=None):
        assert self.shape(a) == self.shape(b)
        ttype = self.ttype(a)
        name = name or f"op{len(self.ops)}"
        # Each input spans about 255 * its scale; the sum, about the two.
        sigma = 255 * (self.quant(a).scale + self.quant(b).scale) / 8
        y = self.tensor(name + "/out", self.shape(a), ttype,
                        self._output_quant(ttype, sigma, act))

        def options(fb):
            tflite.AddOptionsStart(fb)
            tflite.AddOptionsAddFusedActivationFunction(fb, ACT[act])
            return tflite.AddOptionsEnd(fb)
        self.ops.append((tflite.BuiltinOperator.ADD, [a, b], [y],
                         tflite.BuiltinOptions.AddOptions, options))
        return y

    def serialize(self, description):
        fb = flatbuffers.Builder(1024)

        def int_vector(start, values):
            start(fb, len(values))
            for v in reversed(values):
                fb.PrependInt32(v)
            return fb.EndVector()

        def offset_vector(start, offsets):
            start(fb, len(offsets))
            for o in reversed(offsets):
                fb.PrependUOffsetTRelative(o)
            return fb.EndVector()

        # Buffers.
        buffers = []
        for data in self.buffers:
            vec = fb.CreateByteVector(data) if data else None
            tflite.BufferStart(fb)
            if vec is not None:
                tflite.BufferAddData(fb, vec)
            buffers.append(tflite.BufferEnd(fb))

        # Tensors.
        tensors = []
        for name, shape, ttype, buf, quant in self.tensors:
            name_off = fb.CreateString(name)
            shape_off = int_vector(tflite.TensorStartShapeVector, shape)
            q_off = None
            if quant is not None:
                tflite.QuantizationParametersStartScaleVector(fb, 1)
                fb.PrependFloat32(quant.scale)
                scale_off = fb.EndVector()
                tflite.QuantizationParametersStartZeroPointVector(fb, 1)
                fb.PrependInt64(quant.zero_point)
                zp_off = fb.EndVector()
                tflite.QuantizationParametersStart(fb)
                tflite.QuantizationParametersAddScale(fb, scale_off)
                tflite.QuantizationParametersAddZeroPoint(fb, zp_off)
                tflite.QuantizationParametersAddQuantizedDimension(fb, 0)
                q_off = tflite.QuantizationParametersEnd(fb)
            tflite.TensorStart(fb)
            tflite.TensorAddShape(fb, shape_off)
            tflite.TensorAddType(fb, ttype)
            tflite.TensorAddBuffer(fb, buf)
            tflite.TensorAddName(fb, name_off)
            if q_off is not None:
                tflite.TensorAddQuantization(fb, q_off)
            tensors.append(tflite.TensorEnd(fb))

        # Operator codes, one per builtin used, in order of first use.
        codes = []
        for op in self.ops:
            if op[0] not in codes:
                codes.append(op[0])
        code_offs = []
        for c in codes:
            tflite.OperatorCodeStart(fb)
            tflite.OperatorCodeAddDeprecatedBuiltinCode(fb, min(c, 127))
            tflite.OperatorCodeAddBuiltinCode(fb, c)
            tflite.OperatorCodeAddVersion(fb, 1)
            code_offs.append(tflite.OperatorCodeEnd(fb))

        # Operators.
        op_offs = []
        for opcode, ins, outs, opt_type, opt_fn in self.ops:
            in_off = int_vector(tflite.OperatorStartInputsVector, ins)
            out_off = int_vector(tflite.OperatorStartOutputsVector, outs)
            opt_off = opt_fn(fb)
            tflite.OperatorStart(fb)
            tflite.OperatorAddOpcodeIndex(fb, codes.index(opcode))
            tflite.OperatorAddInputs(fb, in_off)
            tflite.OperatorAddOutputs(fb, out_off)
            tflite.OperatorAddBuiltinOptionsType(fb, opt_type)
            tflite.OperatorAddBuiltinOptions(fb, opt_off)
            op_offs.append(tflite.OperatorEnd(fb))

        tensors_vec = offset_vector(tflite.SubGraphStartTensorsVector, tensors)
        inputs_vec = int_vector(tflite.SubGraphStartInputsVector, self.inputs)
        outputs_vec = int_vector(tflite.SubGraphStartOutputsVector, self.outputs)
        ops_vec = offset_vector(tflite.SubGraphStartOperatorsVector, op_offs)
        sg_name = fb.CreateString("main")
        tflite.SubGraphStart(fb)
        tflite.SubGraphAddTensors(fb, tensors_vec)
        tflite.SubGraphAddInputs(fb, inputs_vec)
        tflite.SubGraphAddOutputs(fb, outputs_vec)
        tflite.SubGraphAddOperators(fb, ops_vec)
        tflite.SubGraphAddName(fb, sg_name)
        subgraph = tflite.SubGraphEnd(fb)

        codes_vec = offset_vector(tflite.ModelStartOperatorCodesVector, code_offs)
        subgraphs_vec = offset_vector(tflite.ModelStartSubgraphsVector, [subgraph])
        buffers_vec = offset_vector(tflite.ModelStartBuffersVector, buffers)
        desc = fb.CreateString(description)
        tflite.ModelStart(fb)
        tflite.ModelAddVersion(fb, 3)
        tflite.ModelAddOperatorCodes(fb, codes_vec)
        tflite.ModelAddSubgraphs(fb, subgraphs_vec)
        tflite.ModelAddDescription(fb, desc)
        tflite.ModelAddBuffers(fb, buffers_vec)
        fb.Finish(tflite.ModelEnd(fb), file_identifier=b"TFL3")
        return bytes(fb.Output())


# The models: name -> (description, function building the graph).
MODELS = {}


def model(name, description):
    def register(fn):
        MODELS[name] = (description, fn)
        return fn
    return register


def single_conv(ttype, shape, out_ch, k, stride, padding, act=None, depthwise=False):
    def build(g):
        x = g.input("input", shape, ttype)
        g.outputs.append(g.conv(x, out_ch, k, stride, padding, act, depthwise))
    return build


# Two 1x1 convolutions of one input and their ADD. Mesa fuses an ADD into the
# producer of its first operand, reading the second operand's producer's
# output. With `swap` the first operand is conv_b's: its job comes second in
# the SUBMIT and waits for conv_a's through the BO they share; without, the
# fused job comes first and reads conv_b's output before it is written
# (expected-failures.txt).
#
# Mesa's fused ADD adds the fused convolution's sum before it is ever rounded
# to its output type, while TensorFlow Lite clamps that output first: where it
# saturates, the two differ on any NPU doing what Mesa programs. `spread` is
# the output range of the convolutions in standard deviations of their sums:
# 8 leaves nothing to saturate (the model measures the ADD), 4 lets a few
# elements saturate (add_saturated_u8). `act_a` fuses an activation into
# conv_a: with RELU its output's zero point is 0, so Mesa's EW_CVT_OFFSET
# (0x80 - that zero point) is 0x80, not 0 as in the others.
def two_convs_add(ttype, shape, out_ch, swap=False, spread=4.0, act_a=None):
    def build(g):
        x = g.input("input", shape, ttype)
        a = g.conv(x, out_ch, 1, 1, "valid", act_a, name="conv_a", spread=spread)
        b = g.conv(x, out_ch, 1, 1, "valid", name="conv_b", spread=spread)
        g.outputs.append(g.add(b, a, name="add") if swap else g.add(a, b, name="add"))
    return build


for t, s in ((U8, "u8"), (I8, "i8")):
    MODELS[f"conv1x1_{s}"] = (
        f"1x1 conv, 16x16x32 -> 32, {s}", single_conv(t, [1, 16, 16, 32], 32, 1, 1, "valid"))
    MODELS[f"conv3x3_s1_same_{s}"] = (
        f"3x3 conv stride 1 SAME, 16x16x16 -> 32, {s}",
        single_conv(t, [1, 16, 16, 16], 32, 3, 1, "same"))
    MODELS[f"dw3x3_s1_same_{s}"] = (
        f"depthwise 3x3 stride 1 SAME, 16x16x32, {s}",
        single_conv(t, [1, 16, 16, 32], 32, 3, 1, "same", depthwise=True))
    MODELS[f"add_{s}"] = (
        f"two 1x1 convs of one input, 16x16x32 -> 32, and their ADD, {s}",
        two_convs_add(t, [1, 16, 16, 32], 32))
    MODELS[f"add_ordered_{s}"] = (
        f"two 1x1 convs of one input, 16x16x32 -> 32, and their ADD with the "
        f"operands swapped, {s}",
        two_convs_add(t, [1, 16, 16, 32], 32, swap=True, spread=8.0))

MODELS["add_relu_operand_u8"] = (
    "as add_ordered_u8, with a RELU on conv_a, the ADD's second operand "
    "(zero point 0), u8",
    two_convs_add(U8, [1, 16, 16, 32], 32, swap=True, spread=8.0, act_a="relu"))

MODELS["add_saturated_u8"] = (
    "as add_ordered_u8, with outputs of the two convs that saturate at a few elements, u8",
    two_convs_add(U8, [1, 16, 16, 32], 32, swap=True))

MODELS["conv3x3_s1_valid_u8"] = (
    "3x3 conv stride 1 VALID, 16x16x16 -> 32, u8",
    single_conv(U8, [1, 16, 16, 16], 32, 3, 1, "valid"))
MODELS["conv3x3_s2_same_u8"] = (
    "3x3 conv stride 2 SAME, 16x16x16 -> 32, u8",
    single_conv(U8, [1, 16, 16, 16], 32, 3, 2, "same"))
MODELS["conv3x3_s2_valid_u8"] = (
    "3x3 conv stride 2 VALID, 17x17x16 -> 32, u8",
    single_conv(U8, [1, 17, 17, 16], 32, 3, 2, "valid"))
MODELS["dw3x3_s2_valid_u8"] = (
    "depthwise 3x3 stride 2 VALID, 17x17x32, u8",
    single_conv(U8, [1, 17, 17, 32], 32, 3, 2, "valid", depthwise=True))
MODELS["conv3x3_relu_u8"] = (
    "3x3 conv stride 1 SAME with fused RELU, 16x16x16 -> 32, u8",
    single_conv(U8, [1, 16, 16, 16], 32, 3, 1, "same", act="relu"))
MODELS["conv1x1_relu6_i8"] = (
    "1x1 conv with fused RELU6, 16x16x32 -> 32, i8",
    single_conv(I8, [1, 16, 16, 32], 32, 1, 1, "valid", act="relu6"))
# Input over the CBUF: 112 rows of 112x32 need more banks than the 12 the
# core has, less those of the weights, so Mesa cuts the input into slices,
# one task each, keeping the weights in the CBUF (rkt_split_tasks()).
MODELS["big_input_u8"] = (
    "3x3 conv SAME, 112x112x32 -> 32 (input over the CBUF: several tasks), u8",
    single_conv(U8, [1, 112, 112, 32], 32, 3, 1, "same"))
# Weights over the CBUF: 3x3x256x160 bytes need more than 11 banks.
MODELS["big_weights_u8"] = (
    "3x3 conv SAME, 8x8x256 -> 160 (weights over the CBUF), u8",
    single_conv(U8, [1, 8, 8, 256], 160, 3, 1, "same"))


def mobilenet_stem(g):
    """The first five layers of both MobileNet-like models, 32x32x3 in."""
    x = g.input("input", [1, 32, 32, 3], U8)
    x = g.conv(x, 16, 3, 2, "same", "relu6", name="conv0")
    x = g.conv(x, 16, 3, 1, "same", "relu6", depthwise=True, name="dw1")
    x = g.conv(x, 32, 1, 1, "valid", "relu6", name="pw1")
    x = g.conv(x, 32, 3, 2, "same", "relu6", depthwise=True, name="dw2")
    return g.conv(x, 64, 1, 1, "valid", "relu6", name="pw2")


@model("mobilenet_u8", "MobileNet-like stack of 7 ops: conv 3x3/2, dw, 1x1, dw/2, 1x1, "
       "1x1 and a residual ADD, RELU6, 32x32x3 in, u8")
def mobilenet(g):
    x = mobilenet_stem(g)
    y = g.conv(x, 64, 1, 1, "valid", name="pw3")
    # The residual: the ADD's inputs must have the same shape.
    g.outputs.append(g.add(x, y, name="residual"))


@model("mobilenet_v1_u8", "MobileNet v1-like stack of 7 convolutions: conv 3x3/2, "
       "dw, 1x1, dw/2, 1x1, dw, 1x1, RELU6, 32x32x3 in, u8")
def mobilenet_v1(g):
    # MobileNet v1's body (no residual ADD; Mesa's CI runs the whole network
    # on RK3588s), small enough for the simulated cores.
    x = mobilenet_stem(g)
    x = g.conv(x, 64, 3, 1, "same", "relu6", depthwise=True, name="dw3")
    g.outputs.append(g.conv(x, 64, 1, 1, "valid", "relu6", name="pw3"))


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    lines = []
    for name, (description, build) in sorted(MODELS.items()):
        # A seed of the model's own: adding a model changes no other.
        g = Graph(zlib.crc32(name.encode()))
        build(g)
        with open(f"{out}/{name}.tflite", "wb") as f:
            f.write(g.serialize(description))
        lines.append(f"{name} {TOLERANCE} {description}\n")
    with open(f"{out}/models.txt", "w") as f:
        f.writelines(lines)
    print(f"models: {len(lines)} written to {out}")


if __name__ == "__main__":
    main()
