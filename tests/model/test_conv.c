// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Host tests of the NPU model's INT8 convolution path: command lists shaped
 * as Mesa's Rocket driver (26.2) builds them for a quantized TensorFlow Lite
 * convolution (register values, weight, bias, input and output layouts
 * computed the way Mesa computes them; our own code), run on the model,
 * compared with a reference computed the way TensorFlow Lite's CPU kernels
 * compute it (int32 accumulation of (x - zp_in) * (w - zp_w) + bias,
 * per-tensor multiplier and shift with TFLite's rounding, output zero point,
 * activation clamp). Tolerance 2 quantized units, as Mesa's TOLERANCE in
 * test_teflon.cpp and the Teflon stage. One line per test, "PASS name" or
 * "FAIL name: why", then "N passed, N failed".
 */

#include <stdarg.h>

#include "harness.h"
#include "check.h"

#define TOL 2

static char note[128];	/* printed after PASS */
static unsigned int n_pass, n_fail;

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static bool raw_status_dpu(void)
{
	return rkt_model_reg_read(&model, REG_PC_INTERRUPT_RAW_STATUS) &
	       (PC_INTERRUPT_RAW_STATUS_DPU_0 | PC_INTERRUPT_RAW_STATUS_DPU_1);
}

/* ---------------------------------------------------------------------- */
/* A quantized TFLite convolution (uint8, per-tensor), optionally + ADD     */

enum act { ACT_NONE, ACT_RELU, ACT_RELU6 };

struct qconv {
	/* shape: input w x h x c (h lines of w pixels), oc output channels */
	uint32_t w, h, c, oc, k, stride;
	bool same, dw;
	enum act act;
	uint8_t izp, wzp, ozp;
	float s_in, s_w, s_out;
	/* fused ADD of tensor t (the conv's own output requantized to s_a/azp first, as TFLite) */
	bool add;
	uint8_t tzp, azp;
	float s_t, s_a;

	uint32_t ow, oh, pt, pl, pb, pr;
	uint8_t *x, *wt, *t;		/* NHWC (h, w, c); weights (oc, ky, kx, c) or dw (ky, kx, c) */
	int32_t *bias;
	uint8_t *ref;			/* expected (h, w, oc) */
};

static uint64_t seed = 0x243f6a8885a308d3ull;

static uint32_t r32(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return (uint32_t)(seed >> 11);
}

static void qconv_shape(struct qconv *q)
{
	uint32_t pw, ph;

	if (q->same) {
		q->ow = (q->w + q->stride - 1) / q->stride;
		q->oh = (q->h + q->stride - 1) / q->stride;
		pw = (q->ow - 1) * q->stride + q->k > q->w ? (q->ow - 1) * q->stride + q->k - q->w : 0;
		ph = (q->oh - 1) * q->stride + q->k > q->h ? (q->oh - 1) * q->stride + q->k - q->h : 0;
	} else {
		q->ow = (q->w - q->k) / q->stride + 1;
		q->oh = (q->h - q->k) / q->stride + 1;
		pw = ph = 0;
	}
	q->pl = pw / 2;
	q->pr = pw - q->pl;
	q->pt = ph / 2;
	q->pb = ph - q->pt;
}

static void qconv_data(struct qconv *q)
{
	uint32_t nw = q->dw ? q->k * q->k * q->c : q->oc * q->k * q->k * q->c;
	uint32_t nb = q->oc, i;

	q->x = malloc(q->w * q->h * q->c);
	q->wt = malloc(nw);
	q->bias = malloc(nb * sizeof(*q->bias));
	q->ref = malloc(q->ow * q->oh * q->oc);
	q->t = q->add ? malloc(q->ow * q->oh * q->oc) : NULL;
	for (i = 0; i < q->w * q->h * q->c; i++)
		q->x[i] = r32() & 0xff;
	for (i = 0; i < nw; i++)
		q->wt[i] = r32() & 0xff;
	for (i = 0; i < nb; i++)
		q->bias[i] = (int32_t)(r32() % 4001) - 2000;
	for (i = 0; q->add && i < q->ow * q->oh * q->oc; i++)
		q->t[i] = r32() & 0xff;
}

static void qconv_free(struct qconv *q)
{
	free(q->x);
	free(q->wt);
	free(q->bias);
	free(q->ref);
	free(q->t);
}

/* TFLite's QuantizeMultiplier(): q31 significand and exponent of @m. */
static void tfl_quantize_multiplier(double m, int32_t *qm, int *shift)
{
	double f = frexp(m, shift);
	int64_t q = (int64_t)llround(f * (double)(1ll << 31));

	if (q == (1ll << 31)) {
		q /= 2;
		(*shift)++;
	}
	*qm = (int32_t)q;
}

static int32_t tfl_srdhm(int32_t a, int32_t b)
{
	int64_t ab = (int64_t)a * b;
	int64_t nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));

	if (a == b && a == INT32_MIN)
		return INT32_MAX;
	return (int32_t)((ab + nudge) / (1ll << 31));
}

static int32_t tfl_rdbpot(int32_t x, int exp)
{
	int32_t mask = (int32_t)((1ll << exp) - 1);
	int32_t rem = x & mask;
	int32_t thr = (mask >> 1) + ((x < 0) ? 1 : 0);

	return (x >> exp) + (rem > thr ? 1 : 0);
}

/* TFLite's MultiplyByQuantizedMultiplier(). */
static int32_t tfl_mbqm(int32_t x, int32_t qm, int shift)
{
	int left = shift > 0 ? shift : 0, right = shift > 0 ? 0 : -shift;

	return tfl_rdbpot(tfl_srdhm((int32_t)((int64_t)x * (1ll << left)), qm), right);
}

static int32_t clampi(int32_t v, int32_t lo, int32_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static int32_t ref_bias_delta;	/* selfcheck: perturb the reference only */

static int32_t qconv_acc(const struct qconv *q, uint32_t n, uint32_t ox, uint32_t oy)
{
	int32_t acc = q->bias[n] + ref_bias_delta;
	uint32_t ky, kx, i;
	int32_t iy, ix;

	for (ky = 0; ky < q->k; ky++) {
		iy = (int32_t)(oy * q->stride + ky) - (int32_t)q->pt;
		for (kx = 0; kx < q->k; kx++) {
			ix = (int32_t)(ox * q->stride + kx) - (int32_t)q->pl;
			if (iy < 0 || ix < 0 || iy >= (int32_t)q->h || ix >= (int32_t)q->w)
				continue;	/* TFLite: padding contributes x - zp = 0 */
			if (q->dw) {
				acc += (q->x[((uint32_t)iy * q->w + (uint32_t)ix) * q->c + n] - q->izp) *
				       (q->wt[(ky * q->k + kx) * q->c + n] - q->wzp);
				continue;
			}
			for (i = 0; i < q->c; i++)
				acc += (q->x[((uint32_t)iy * q->w + (uint32_t)ix) * q->c + i] - q->izp) *
				       (q->wt[((n * q->k + ky) * q->k + kx) * q->c + i] - q->wzp);
		}
	}
	return acc;
}

/* Activation range of TFLite's CalculateActivationRangeQuantized(), uint8. */
static void act_range(enum act a, float s, uint8_t zp, int32_t *lo, int32_t *hi)
{
	*lo = 0;
	*hi = 255;
	if (a == ACT_RELU || a == ACT_RELU6)
		*lo = zp;
	if (a == ACT_RELU6)
		*hi = clampi(zp + (int32_t)lround(6.0 / s), 0, 255);
}

/* The expected output, computed as TFLite's reference kernels do. */
static void qconv_reference(struct qconv *q)
{
	int32_t qm, qma, qmt, lo, hi, v, a;
	int shift, sha, sht;
	uint32_t n, x, y;

	if (!q->add) {
		tfl_quantize_multiplier((double)q->s_in * q->s_w / q->s_out, &qm, &shift);
		act_range(q->act, q->s_out, q->ozp, &lo, &hi);
	} else {
		/* conv into tensor a (s_a, azp), then ADD(a, t) into (s_out, ozp) */
		double twice_max = 2.0 * (q->s_a > q->s_t ? q->s_a : q->s_t);

		tfl_quantize_multiplier((double)q->s_in * q->s_w / q->s_a, &qm, &shift);
		tfl_quantize_multiplier(q->s_a / twice_max, &qma, &sha);
		tfl_quantize_multiplier(q->s_t / twice_max, &qmt, &sht);
		act_range(q->act, q->s_out, q->ozp, &lo, &hi);
	}
	for (y = 0; y < q->oh; y++) {
		for (x = 0; x < q->ow; x++) {
			for (n = 0; n < q->oc; n++) {
				v = tfl_mbqm(qconv_acc(q, n, x, y), qm, shift);
				if (q->add) {
					/* TFLite's quantized ADD, left shift 20 */
					double twice_max = 2.0 * (q->s_a > q->s_t ? q->s_a : q->s_t);
					int32_t qo, sho, ia, it;

					a = clampi(v + q->azp, 0, 255);
					tfl_quantize_multiplier(twice_max / ((1 << 20) * (double)q->s_out),
								&qo, &sho);
					ia = tfl_mbqm((a - q->azp) * (1 << 20), qma, sha);
					it = tfl_mbqm((q->t[(y * q->ow + x) * q->oc + n] - q->tzp) * (1 << 20),
						      qmt, sht);
					v = tfl_mbqm(ia + it, qo, sho);
				}
				q->ref[(y * q->ow + x) * q->oc + n] = (uint8_t)clampi(v + q->ozp, lo, hi);
			}
		}
	}
}

/* ---------------------------------------------------------------------- */
/* What Mesa (src/gallium/drivers/rocket, 26.2) writes for it               */

static uint32_t fbits(float f)
{
	uint32_t u;

	memcpy(&u, &f, sizeof(u));
	return u;
}

/* Mesa's scale/shift from a float (the QNNPACK-derived form in rkt_regcmd.c). */
static void mesa_scale(float f, bool plus_one, uint32_t *scale, uint32_t *shift)
{
	uint32_t b = fbits(f);

	*shift = 127 + 31 - 32 - (b >> 23) + 16 - 1;
	*scale = ((b >> 9) & 0x7fff) + (plus_one ? 1 : 0);
	if (*scale < (1u << 14))
		*scale |= 1u << 14;
}

struct mtask {
	uint32_t top, lines;		/* input lines of this task */
	uint32_t pt, pb;		/* padding above/below the task's lines */
	uint32_t oh, orow;		/* output lines, first output line */
	uint32_t dbank, wbank;
	bool reuse;
};

struct maddr {
	uint32_t in, wt, bias, out, t, regcmd;
	uint32_t wbytes;
};

static uint32_t out_ch_hw(const struct qconv *q)
{
	uint32_t o = (q->oc > 32 ? q->oc : 32);

	o = (o + 31) / 32 * 32;
	if (q->dw) {
		if (q->oc <= 32)
			o *= 2;
		o = (o + 63) / 64 * 64;
	}
	return o;
}

static uint32_t cin_hw(const struct qconv *q)
{
	return ((q->c > 16 ? q->c : 16) + 15) / 16 * 16;
}

/* Weights as rkt_fill_weights() lays them out, minus 0x80. */
static uint32_t mesa_weights(const struct qconv *q, uint8_t *o)
{
	uint32_t cin = q->c > 16 ? q->c : 16;	/* MAX2(channels, FEATURE_ATOMIC_SIZE) */
	uint32_t ocs = q->dw ? 1 : (q->oc + 1) / 2 * 2;
	uint32_t grp = q->dw ? 64 : 32;
	uint32_t c1 = (cin + grp - 1) / grp, c2 = cin < grp ? cin : grp;
	uint32_t o1, i1, ky, kx, o2, i2, n = 0, oc, ic;

	for (o1 = 0; o1 < (ocs + 31) / 32; o1++)
		for (i1 = 0; i1 < c1; i1++)
			for (ky = 0; ky < q->k; ky++)
				for (kx = 0; kx < q->k; kx++)
					for (o2 = 0; o2 < (ocs < 32 ? ocs : 32); o2++)
						for (i2 = 0; i2 < c2; i2++) {
							oc = o1 * 32 + o2;
							ic = i1 * grp + i2;
							if (q->oc > 2 && oc >= (q->oc + 1) / 2 * 2)
								continue;
							if (oc >= (q->dw ? 1 : q->oc))
								o[n++] = 0;
							else if (ic >= q->c) {
								if (i2 < 16 || q->c % 32 > 16)
									o[n++] = (uint8_t)(q->wzp - 0x80);
							} else if (q->dw)
								o[n++] = (uint8_t)(q->wt[(ky * q->k + kx) * q->c + ic] - 0x80);
							else
								o[n++] = (uint8_t)(q->wt[((oc * q->k + ky) * q->k + kx) * q->c + ic] - 0x80);
						}
	return n;
}

/* Biases as rkt_fill_biases() writes them: the input zero point folded in. */
static void mesa_biases(const struct qconv *q, int32_t *o)
{
	uint32_t n, ky, kx, i;
	int32_t corr;

	for (n = 0; n < q->oc; n++) {
		corr = 0;
		for (ky = 0; ky < q->k; ky++)
			for (kx = 0; kx < q->k; kx++) {
				if (q->dw) {
					corr += (q->wt[(ky * q->k + kx) * q->c + n] - q->wzp) *
						(q->izp - 0x80);
					continue;
				}
				for (i = 0; i < q->c; i++)
					corr += (q->wt[((n * q->k + ky) * q->k + kx) * q->c + i] - q->wzp) *
						(q->izp - 0x80);
			}
		o[n] = q->bias[n] - corr;
	}
}

/* The input as rkt_ml_subgraph_invoke() converts it: 16-channel surfaces, minus 0x80. */
static void mesa_input(const struct qconv *q, uint8_t *o)
{
	uint32_t u, y, x, c, ch, n = 0;

	for (u = 0; u < (q->c + 15) / 16; u++)
		for (y = 0; y < q->h; y++)
			for (x = 0; x < q->w; x++)
				for (c = 0; c < 16; c++) {
					ch = u * 16 + c;
					o[n++] = (uint8_t)((ch < q->c ? q->x[(y * q->w + x) * q->c + ch] :
							    q->izp) - 0x80);
				}
}

/* A tensor written by a Mesa conv: the output layout, minus 0x80. */
static void mesa_tensor(const struct qconv *q, const uint8_t *t, uint8_t *o)
{
	uint32_t u, y, x, c;

	for (u = 0; u < q->oc / 16; u++)
		for (y = 0; y < q->oh; y++)
			for (x = 0; x < q->ow; x++)
				for (c = 0; c < 16; c++)
					o[((u * q->oh + y) * q->ow + x) * 16 + c] =
						(uint8_t)(t[(y * q->ow + x) * q->oc + u * 16 + c] - 0x80);
}

#define EMIT(reg, val) emit(e, &n, (reg), (val))

/* One task's list, in Mesa's order and with its values (fill_first_regcmd()). */
static uint32_t mesa_regcmd(const struct qconv *q, const struct mtask *t, const struct maddr *a,
			    uint64_t *e, bool chained)
{
	uint32_t cin = cin_hw(q), och = out_ch_hw(q);
	uint32_t kernels = q->dw ? 1 : (q->oc + 1) / 2 * 2;
	uint32_t ls = q->w * 16 / 4, ss = ls * (q->h / 4) - ls;	/* float math exact for these */
	uint32_t con0 = CNA_CBUF_CON0_WEIGHT_BANK(t->wbank) | CNA_CBUF_CON0_DATA_BANK(t->dbank);
	uint32_t con1 = q->dw ? CNA_CONV_CON1_CONV_MODE(3) : 0;
	uint32_t osurf = q->ow * 16 * q->oh / 16;
	uint32_t scale, shift, ews, ewsh, pad, n = 0;
	uint32_t ow = q->ow;
	float conv_scale;

	ss = (uint32_t)((float)ls * ((float)q->h / 4.0f - 1.0f));
	if (t->reuse)
		con0 |= CNA_CBUF_CON0_WEIGHT_REUSE(1);
	EMIT(REG_CNA_CBUF_CON0, con0);
	EMIT(REG_CNA_DCOMP_REGNUM, 0);
	EMIT(REG_CNA_DCOMP_CTRL, 0);
	EMIT(REG_CNA_CONV_CON1, con1);
	EMIT(REG_DPU_S_POINTER, DPU_S_POINTER_POINTER_PP_MODE(1) |
	     DPU_S_POINTER_EXECUTER_PP_EN(1) | DPU_S_POINTER_POINTER_PP_EN(1));
	EMIT(REG_DPU_RDMA_RDMA_S_POINTER, DPU_RDMA_RDMA_S_POINTER_POINTER_PP_MODE(1) |
	     DPU_RDMA_RDMA_S_POINTER_EXECUTER_PP_EN(1) | DPU_RDMA_RDMA_S_POINTER_POINTER_PP_EN(1));
	EMIT(REG_CNA_CONV_CON1, con1);
	EMIT(REG_CNA_CONV_CON2, CNA_CONV_CON2_FEATURE_GRAINS(50 + q->stride + 1));
	EMIT(REG_CNA_CONV_CON3, CNA_CONV_CON3_CONV_X_STRIDE(q->stride) |
	     CNA_CONV_CON3_CONV_Y_STRIDE(q->stride));
	EMIT(REG_CNA_DATA_SIZE0, CNA_DATA_SIZE0_DATAIN_WIDTH(q->w) |
	     CNA_DATA_SIZE0_DATAIN_HEIGHT(t->lines));
	EMIT(REG_CNA_DATA_SIZE1, CNA_DATA_SIZE1_DATAIN_CHANNEL_REAL(q->c - 1) |
	     CNA_DATA_SIZE1_DATAIN_CHANNEL(cin));
	EMIT(REG_CNA_DATA_SIZE2, CNA_DATA_SIZE2_DATAOUT_WIDTH(ow));
	EMIT(REG_CNA_DATA_SIZE3, CNA_DATA_SIZE3_DATAOUT_ATOMICS(ow * t->oh));
	EMIT(REG_CNA_WEIGHT_SIZE0, q->k * q->k * cin * kernels);
	EMIT(REG_CNA_WEIGHT_SIZE1, q->k * q->k * cin);
	EMIT(REG_CNA_WEIGHT_SIZE2, CNA_WEIGHT_SIZE2_WEIGHT_WIDTH(q->k) |
	     CNA_WEIGHT_SIZE2_WEIGHT_HEIGHT(q->k) | CNA_WEIGHT_SIZE2_WEIGHT_KERNELS(kernels));
	EMIT(REG_CNA_CBUF_CON0, con0);
	EMIT(REG_CNA_CBUF_CON1, CNA_CBUF_CON1_DATA_ENTRIES((q->w * 2 * ((q->c + 15) / 16) + 7) / 8));
	EMIT(REG_CNA_CVT_CON0, CNA_CVT_CON0_DATA_SIGN(1) | CNA_CVT_CON0_CVT_TYPE(1) |
	     CNA_CVT_CON0_CVT_BYPASS(1));
	EMIT(REG_CNA_CVT_CON1, CNA_CVT_CON1_CVT_SCALE0(1));
	EMIT(REG_CNA_CVT_CON2, CNA_CVT_CON2_CVT_SCALE1(1));
	EMIT(REG_CNA_CVT_CON3, CNA_CVT_CON3_CVT_SCALE2(1));
	EMIT(REG_CNA_CVT_CON4, CNA_CVT_CON4_CVT_SCALE3(1));
	EMIT(REG_CNA_FC_CON0, 0);
	EMIT(REG_CNA_FC_CON1, 0);
	EMIT(REG_CNA_PAD_CON0, CNA_PAD_CON0_PAD_LEFT(q->pl) | CNA_PAD_CON0_PAD_TOP(t->pt));
	EMIT(REG_CNA_FEATURE_DATA_ADDR, a->in + q->w * 16 * t->top);
	EMIT(REG_CNA_FC_CON2, 0);
	EMIT(REG_CNA_DMA_CON0, CNA_DMA_CON0_WEIGHT_BURST_LEN(15) | CNA_DMA_CON0_DATA_BURST_LEN(15));
	EMIT(REG_CNA_DMA_CON1, CNA_DMA_CON1_LINE_STRIDE(ls));
	EMIT(REG_CNA_DMA_CON2, CNA_DMA_CON2_SURF_STRIDE(ss));
	EMIT(REG_CNA_FC_DATA_SIZE0, CNA_FC_DATA_SIZE0_DMA_WIDTH(q->w) |
	     CNA_FC_DATA_SIZE0_DMA_HEIGHT(t->lines));
	EMIT(REG_CNA_FC_DATA_SIZE1, CNA_FC_DATA_SIZE1_DMA_CHANNEL(cin));
	EMIT(REG_CNA_DCOMP_CTRL, 0);
	EMIT(REG_CNA_DCOMP_REGNUM, 0);
	EMIT(REG_CNA_DCOMP_ADDR0, a->wt);
	EMIT(REG_CNA_CVT_CON5, 0);
	if (q->k >= 3 && q->izp == 0)
		pad = 0xffff8080;
	else
		pad = (uint32_t)((int32_t)q->izp - 0x80);
	EMIT(REG_CNA_PAD_CON1, pad);
	EMIT(REG_CORE_MISC_CFG, CORE_MISC_CFG_QD_EN(1) | CORE_MISC_CFG_DW_EN(q->dw));
	EMIT(REG_CORE_DATAOUT_SIZE_0, CORE_DATAOUT_SIZE_0_DATAOUT_HEIGHT(t->oh - 1) |
	     CORE_DATAOUT_SIZE_0_DATAOUT_WIDTH(ow - 1));
	EMIT(REG_CORE_DATAOUT_SIZE_1, CORE_DATAOUT_SIZE_1_DATAOUT_CHANNEL(och - 1));
	EMIT(REG_CORE_CLIP_TRUNCATE, 0);
	e[n++] = entry(0x0801, 0x3030, 0);
	EMIT(REG_DPU_FEATURE_MODE_CFG, DPU_FEATURE_MODE_CFG_BURST_LEN(15) |
	     DPU_FEATURE_MODE_CFG_OUTPUT_MODE(2) | DPU_FEATURE_MODE_CFG_CONV_MODE(q->dw ? 3 : 0));
	EMIT(REG_DPU_DATA_FORMAT, 0);
	EMIT(REG_DPU_OFFSET_PEND, 0);
	EMIT(REG_DPU_DST_BASE_ADDR, a->out + ow * 16 * t->orow);
	EMIT(REG_DPU_DST_SURF_STRIDE, DPU_DST_SURF_STRIDE_DST_SURF_STRIDE(osurf));
	EMIT(REG_DPU_DATA_CUBE_WIDTH, DPU_DATA_CUBE_WIDTH_WIDTH(ow - 1));
	EMIT(REG_DPU_DATA_CUBE_HEIGHT, DPU_DATA_CUBE_HEIGHT_HEIGHT(t->oh - 1));
	EMIT(REG_DPU_DATA_CUBE_NOTCH_ADDR, 0);
	EMIT(REG_DPU_DATA_CUBE_CHANNEL, DPU_DATA_CUBE_CHANNEL_ORIG_CHANNEL(q->oc - 1) |
	     DPU_DATA_CUBE_CHANNEL_CHANNEL(och - 1));
	EMIT(REG_DPU_BS_CFG, DPU_BS_CFG_BS_ALU_ALGO(2) | DPU_BS_CFG_BS_ALU_SRC(1) |
	     DPU_BS_CFG_BS_RELU_BYPASS(1) | DPU_BS_CFG_BS_MUL_BYPASS(1));
	EMIT(REG_DPU_BS_ALU_CFG, 0);
	EMIT(REG_DPU_BS_MUL_CFG, 0);
	EMIT(REG_DPU_BS_RELUX_CMP_VALUE, 0);
	EMIT(REG_DPU_BS_OW_CFG, q->dw ?
	     DPU_BS_OW_CFG_SIZE_E_2(3) | DPU_BS_OW_CFG_SIZE_E_1(3) | DPU_BS_OW_CFG_SIZE_E_0(3) :
	     DPU_BS_OW_CFG_SIZE_E_2(1) | DPU_BS_OW_CFG_SIZE_E_1(1) | DPU_BS_OW_CFG_SIZE_E_0(1));
	EMIT(REG_DPU_BS_OW_OP, DPU_BS_OW_OP_OW_OP((uint32_t)(0x80 - q->wzp) & 0xffff));
	EMIT(REG_DPU_WDMA_SIZE_0, DPU_WDMA_SIZE_0_CHANNEL_WDMA(och - 1));
	EMIT(REG_DPU_WDMA_SIZE_1, DPU_WDMA_SIZE_1_HEIGHT_WDMA(t->oh - 1) |
	     DPU_WDMA_SIZE_1_WIDTH_WDMA(ow - 1));
	EMIT(REG_DPU_BN_CFG, DPU_BN_CFG_BN_RELU_BYPASS(1) | DPU_BN_CFG_BN_MUL_BYPASS(1) |
	     DPU_BN_CFG_BN_ALU_BYPASS(1) | DPU_BN_CFG_BN_BYPASS(1));
	EMIT(REG_DPU_BN_ALU_CFG, 0);
	EMIT(REG_DPU_BN_MUL_CFG, 0);
	EMIT(REG_DPU_BN_RELUX_CMP_VALUE, 0);
	if (q->add) {
		EMIT(REG_DPU_EW_CFG, DPU_EW_CFG_EW_CVT_TYPE(1) | DPU_EW_CFG_EW_DATA_MODE(1) |
		     DPU_EW_CFG_EDATA_SIZE(1) | DPU_EW_CFG_EW_ALU_ALGO(2) |
		     DPU_EW_CFG_EW_RELU_BYPASS(1) | DPU_EW_CFG_EW_LUT_BYPASS(1) |
		     DPU_EW_CFG_EW_OP_SRC(1));
		EMIT(REG_DPU_EW_CVT_OFFSET_VALUE, (uint32_t)(0x80 - q->tzp));
		mesa_scale(q->s_t / (q->s_in * q->s_w), false, &ews, &ewsh);
		EMIT(REG_DPU_EW_CVT_SCALE_VALUE, DPU_EW_CVT_SCALE_VALUE_EW_OP_CVT_SHIFT(ewsh) |
		     DPU_EW_CVT_SCALE_VALUE_EW_OP_CVT_SCALE(ews));
		EMIT(REG_DPU_EW_RELUX_CMP_VALUE, 0);
	} else {
		EMIT(REG_DPU_EW_CFG, DPU_EW_CFG_EW_RELU_BYPASS(1) | DPU_EW_CFG_EW_OP_CVT_BYPASS(1) |
		     DPU_EW_CFG_EW_LUT_BYPASS(1) | DPU_EW_CFG_EW_OP_BYPASS(1) |
		     DPU_EW_CFG_EW_BYPASS(1));
		EMIT(REG_DPU_EW_CVT_OFFSET_VALUE, 0);
		EMIT(REG_DPU_EW_CVT_SCALE_VALUE, DPU_EW_CVT_SCALE_VALUE_EW_OP_CVT_SCALE(1));
		EMIT(REG_DPU_EW_RELUX_CMP_VALUE, 0);
	}
	EMIT(REG_DPU_OUT_CVT_OFFSET, (uint32_t)((int32_t)q->ozp - 0x80));
	conv_scale = (q->s_in * q->s_w) / q->s_out;
	mesa_scale(conv_scale, true, &scale, &shift);
	EMIT(REG_DPU_OUT_CVT_SCALE, DPU_OUT_CVT_SCALE_OUT_CVT_SCALE(scale));
	EMIT(REG_DPU_OUT_CVT_SHIFT, DPU_OUT_CVT_SHIFT_OUT_CVT_SHIFT(shift));
	EMIT(REG_DPU_EW_OP_VALUE_0, 0);
	EMIT(REG_DPU_SURFACE_ADD, DPU_SURFACE_ADD_SURF_ADD(q->ow * q->oh * 2 * (q->dw ? 2 : 1)));
	e[n++] = entry(0x1001, 0x40c4, 0);
	EMIT(REG_DPU_LUT_CFG, 0);
	EMIT(REG_DPU_RDMA_RDMA_DATA_CUBE_WIDTH, DPU_RDMA_RDMA_DATA_CUBE_WIDTH_WIDTH(ow - 1));
	EMIT(REG_DPU_RDMA_RDMA_DATA_CUBE_HEIGHT, DPU_RDMA_RDMA_DATA_CUBE_HEIGHT_HEIGHT(t->oh - 1));
	EMIT(REG_DPU_RDMA_RDMA_DATA_CUBE_CHANNEL, DPU_RDMA_RDMA_DATA_CUBE_CHANNEL_CHANNEL(och - 1));
	EMIT(REG_DPU_RDMA_RDMA_SRC_BASE_ADDR, q->add ? a->t : 0);
	EMIT(REG_DPU_RDMA_RDMA_BRDMA_CFG, DPU_RDMA_RDMA_BRDMA_CFG_BRDMA_DATA_USE(1));
	EMIT(REG_DPU_RDMA_RDMA_BS_BASE_ADDR, a->bias);
	EMIT(REG_DPU_RDMA_RDMA_NRDMA_CFG, 0);
	EMIT(REG_DPU_RDMA_RDMA_BN_BASE_ADDR, 0);
	if (q->add) {
		uint32_t ews_stride = q->ow * q->oh > 12 ? q->ow * q->oh : 12;

		EMIT(REG_DPU_RDMA_RDMA_ERDMA_CFG, DPU_RDMA_RDMA_ERDMA_CFG_ERDMA_DATA_MODE(1) |
		     DPU_RDMA_RDMA_ERDMA_CFG_ERDMA_DATA_SIZE(1));
		EMIT(REG_DPU_RDMA_RDMA_EW_BASE_ADDR, a->t + q->ow * q->oh * 16);
		EMIT(REG_DPU_RDMA_RDMA_EW_SURF_STRIDE,
		     DPU_RDMA_RDMA_EW_SURF_STRIDE_EW_SURF_STRIDE(ews_stride));
		EMIT(REG_DPU_RDMA_RDMA_FEATURE_MODE_CFG,
		     DPU_RDMA_RDMA_FEATURE_MODE_CFG_BURST_LEN(15) |
		     DPU_RDMA_RDMA_FEATURE_MODE_CFG_COMB_USE(5) |
		     DPU_RDMA_RDMA_FEATURE_MODE_CFG_CONV_MODE(q->dw ? 3 : 0));
		EMIT(REG_DPU_RDMA_RDMA_SURF_NOTCH,
		     DPU_RDMA_RDMA_SURF_NOTCH_SURF_NOTCH_ADDR(ews_stride));
		EMIT(REG_DPU_RDMA_RDMA_EW_SURF_NOTCH,
		     DPU_RDMA_RDMA_EW_SURF_NOTCH_EW_SURF_NOTCH(ews_stride));
	} else {
		EMIT(REG_DPU_RDMA_RDMA_ERDMA_CFG, DPU_RDMA_RDMA_ERDMA_CFG_ERDMA_DISABLE(1));
		EMIT(REG_DPU_RDMA_RDMA_EW_BASE_ADDR, 0);
		EMIT(REG_DPU_RDMA_RDMA_EW_SURF_STRIDE, 0);
		EMIT(REG_DPU_RDMA_RDMA_FEATURE_MODE_CFG,
		     DPU_RDMA_RDMA_FEATURE_MODE_CFG_BURST_LEN(15) |
		     DPU_RDMA_RDMA_FEATURE_MODE_CFG_MRDMA_DISABLE(1) |
		     DPU_RDMA_RDMA_FEATURE_MODE_CFG_CONV_MODE(q->dw ? 3 : 0));
		EMIT(REG_DPU_RDMA_RDMA_SURF_NOTCH, 0);
		EMIT(REG_DPU_RDMA_RDMA_EW_SURF_NOTCH, 0);
	}
	EMIT(REG_DPU_RDMA_RDMA_SRC_DMA_CFG, 0);
	EMIT(REG_DPU_RDMA_RDMA_PAD_CFG, 0);
	EMIT(REG_DPU_RDMA_RDMA_WEIGHT, DPU_RDMA_RDMA_WEIGHT_E_WEIGHT(1) |
	     DPU_RDMA_RDMA_WEIGHT_N_WEIGHT(1) | DPU_RDMA_RDMA_WEIGHT_B_WEIGHT(1) |
	     DPU_RDMA_RDMA_WEIGHT_M_WEIGHT(1));
	if (chained)
		EMIT(REG_PC_BASE_ADDRESS, 0);	/* patched by the caller */
	else
		e[n++] = 0;
	EMIT(REG_PC_REGISTER_AMOUNTS, 0);
	e[n++] = 0x0041000000000000ull;
	e[n++] = entry(0x0081, REG_PC_OPERATION_ENABLE, 0x1d);
	return n;
}

/* ---------------------------------------------------------------------- */
/* Run and compare                                                          */

struct qrun {
	uint32_t max_diff, over;
	enum rkt_model_outcome o;
};

/* Tasks as Mesa splits a convolution; NULL: one task with all of the input. */
static bool qconv_run(struct qconv *q, const struct mtask *tasks, uint32_t ntasks,
		      struct qrun *r)
{
	uint32_t osurfs = (q->oc + 15) / 16 * 2;	/* Mesa: twice the channels */
	uint32_t cin = cin_hw(q), nbytes, i, x, y, n, d;
	struct mtask one;
	struct maddr a;
	uint8_t *tmp;
	uint64_t e[MAX_ENTRIES];
	int32_t *b;

	qconv_shape(q);
	qconv_data(q);
	qconv_reference(q);

	tmp = calloc(1, 4u << 20);
	nbytes = mesa_weights(q, tmp);
	a.wbytes = nbytes;
	a.wt = mem_alloc(nbytes, 0);
	memcpy(mem_ptr(a.wt), tmp, nbytes);
	a.bias = mem_alloc(q->oc * 4, 0);
	b = malloc(q->oc * 4);
	mesa_biases(q, b);
	for (i = 0; i < q->oc; i++)
		put_le32(mem_ptr(a.bias + 4 * i), (uint32_t)b[i]);
	free(b);
	a.in = mem_alloc(q->w * q->h * cin, 0);
	mesa_input(q, mem_ptr(a.in));
	a.out = mem_alloc(q->ow * q->oh * 16 * osurfs, 0x55);
	a.t = 0;
	if (q->add) {
		a.t = mem_alloc(q->ow * q->oh * 16 * osurfs, 0);
		mesa_tensor(q, q->t, mem_ptr(a.t));
	}

	if (!tasks) {
		memset(&one, 0, sizeof(one));
		one.lines = q->h;
		one.pt = q->pt;
		one.pb = q->pb;
		one.oh = q->oh;
		one.dbank = (q->w * q->h * cin + 32767) / 32768;
		one.wbank = 12 - one.dbank;
		tasks = &one;
		ntasks = 1;
	}
	r->o = RKT_MODEL_DONE;
	for (i = 0; i < ntasks && r->o == RKT_MODEL_DONE; i++) {
		n = mesa_regcmd(q, &tasks[i], &a, e, ntasks > 1 && i + 1 < ntasks);
		r->o = submit_list(e, n);
		irq_handle();
	}
	free(tmp);
	if (r->o != RKT_MODEL_DONE)
		return fail("task %u: %s: %s", i - 1, rkt_model_outcome_name(r->o),
			    rkt_model_log(&model));

	r->max_diff = 0;
	r->over = 0;
	for (y = 0; y < q->oh; y++)
		for (x = 0; x < q->ow; x++)
			for (n = 0; n < q->oc; n++) {
				uint8_t got = (uint8_t)(mem_ptr(a.out)[(((n / 16) * q->oh + y) * q->ow + x) * 16 +
								 n % 16] + 0x80);
				uint8_t want = q->ref[(y * q->ow + x) * q->oc + n];

				d = got > want ? got - want : want - got;
				if (getenv("DBG") && *getenv("DBG") && d > TOL && r->over < 5) {
					double acc = qconv_acc(q, n, x, y);
					double dv = q->add ? (acc * q->s_in * q->s_w + (q->t[(y * q->ow + x) * q->oc + n] - q->tzp) * (double)q->s_t) / q->s_out + q->ozp : 0;
					fprintf(stderr, "y%u x%u n%u got %u want %u direct %.2f\n", y, x, n, got, want, dv);
				}
				if (d > r->max_diff)
					r->max_diff = d;
				if (d > TOL)
					r->over++;
			}
	return true;
}

static bool qconv_check(struct qconv *q, const struct mtask *t, uint32_t nt)
{
	struct qrun r;
	bool ok = qconv_run(q, t, nt, &r);

	if (ok)
		snprintf(note, sizeof(note), " (max diff %u of %u outputs)", r.max_diff,
			 q->ow * q->oh * q->oc);
	if (ok && r.over)
		ok = fail("max diff %u, %u of %u outputs over %u", r.max_diff, r.over,
			  q->ow * q->oh * q->oc, TOL);
	qconv_free(q);
	return ok;
}

static void qc_init(struct qconv *q, uint32_t w, uint32_t c, uint32_t oc, uint32_t k,
		    uint32_t stride, bool same)
{
	memset(q, 0, sizeof(*q));
	q->w = q->h = w;
	q->c = c;
	q->oc = oc;
	q->k = k;
	q->stride = stride;
	q->same = same;
	q->izp = 121;
	q->wzp = 138;
	q->ozp = 128;
	q->s_in = 0.02f;
	q->s_w = 0.004f;
	/* output std about 40 units: acc std ~ 74 * 74 * sqrt(k * k * c) */
	q->s_out = q->s_in * q->s_w * 74.0f * 74.0f * sqrtf((float)(k * k * c)) / 40.0f;
}

static bool conv1x1(void)
{
	struct qconv q;

	qc_init(&q, 16, 32, 32, 1, 1, false);
	return qconv_check(&q, NULL, 0);
}

static bool conv1x1_zero_points_0(void)
{
	struct qconv q;

	qc_init(&q, 16, 32, 32, 1, 1, false);
	q.izp = 0;
	q.wzp = 0;
	q.ozp = 0;
	q.act = ACT_RELU;
	return qconv_check(&q, NULL, 0);
}

static bool conv3x3_same(void)
{
	struct qconv q;

	qc_init(&q, 16, 16, 32, 3, 1, true);
	return qconv_check(&q, NULL, 0);
}

static bool conv3x3_same_izp0(void)
{
	struct qconv q;

	qc_init(&q, 16, 16, 32, 3, 1, true);
	q.izp = 0;	/* Mesa's PAD_CON1 0xffff8080 */
	return qconv_check(&q, NULL, 0);
}

static bool conv3x3_valid(void)
{
	struct qconv q;

	qc_init(&q, 16, 16, 32, 3, 1, false);
	return qconv_check(&q, NULL, 0);
}

static bool conv3x3_s2_same(void)
{
	struct qconv q;

	qc_init(&q, 16, 16, 32, 3, 2, true);
	return qconv_check(&q, NULL, 0);
}

static bool conv3x3_s2_valid_17(void)
{
	struct qconv q;

	qc_init(&q, 17, 16, 32, 3, 2, false);
	return qconv_check(&q, NULL, 0);
}

static bool conv3x3_c3_in(void)
{
	struct qconv q;

	qc_init(&q, 32, 3, 16, 3, 2, true);	/* mobilenet's first layer: 3 channels padded to 16 */
	return qconv_check(&q, NULL, 0);
}

static bool conv1x1_64_to_64(void)
{
	struct qconv q;

	qc_init(&q, 8, 64, 64, 1, 1, false);	/* two channel blocks, two kernel groups */
	return qconv_check(&q, NULL, 0);
}

static bool conv3x3_relu(void)
{
	struct qconv q;

	qc_init(&q, 16, 16, 32, 3, 1, true);
	q.ozp = 0;
	q.act = ACT_RELU;
	return qconv_check(&q, NULL, 0);
}

static bool dw3x3_same(void)
{
	struct qconv q;

	qc_init(&q, 16, 32, 32, 3, 1, true);
	q.dw = true;
	qc_init(&q, 16, 32, 32, 3, 1, true);
	q.dw = true;
	q.s_out = q.s_in * q.s_w * 74.0f * 74.0f * 3.0f / 40.0f;
	return qconv_check(&q, NULL, 0);
}

static bool dw3x3_s2_valid(void)
{
	struct qconv q;

	qc_init(&q, 17, 32, 32, 3, 2, false);
	q.dw = true;
	q.s_out = q.s_in * q.s_w * 74.0f * 74.0f * 3.0f / 40.0f;
	return qconv_check(&q, NULL, 0);
}

static bool dw3x3_16ch_izp0(void)
{
	struct qconv q;

	qc_init(&q, 16, 16, 16, 3, 1, true);
	q.dw = true;
	q.izp = 0;
	q.s_out = q.s_in * q.s_w * 74.0f * 74.0f * 3.0f / 40.0f;
	return qconv_check(&q, NULL, 0);
}

static bool add_fused(void)
{
	struct qconv q;

	qc_init(&q, 16, 32, 32, 1, 1, false);
	q.add = true;
	q.s_a = q.s_out * 1.6f;	/* the intermediate does not saturate (TFLite clamps it, the fused NPU sum not) */
	q.azp = 128;
	q.s_t = q.s_out * 1.3f;
	q.tzp = 119;
	q.s_out = q.s_out * 1.6f;
	q.ozp = 131;
	return qconv_check(&q, NULL, 0);
}

static bool add_fused_64ch(void)
{
	struct qconv q;

	qc_init(&q, 8, 32, 64, 1, 1, false);
	q.add = true;
	q.s_a = q.s_out * 1.6f;	/* the intermediate does not saturate (TFLite clamps it, the fused NPU sum not) */
	q.azp = 120;
	q.s_t = q.s_out * 0.7f;
	q.tzp = 140;
	q.s_out = q.s_out * 1.4f;
	q.ozp = 126;
	return qconv_check(&q, NULL, 0);
}

/* big_input_u8 of the Teflon stage: 112x112x32, 3x3 SAME, two tasks, weights reused */
static bool split_two_tasks_reuse(void)
{
	struct qconv q;
	struct mtask t[2];

	qc_init(&q, 112, 32, 32, 3, 1, true);
	memset(t, 0, sizeof(t));
	/* Mesa's rkt_split_tasks() for this shape: 91 lines, then 23 from line 89 */
	t[0] = (struct mtask){ .top = 0, .lines = 91, .pt = 1, .pb = 0, .oh = 90, .orow = 0,
			       .dbank = 10, .wbank = 2 };
	t[1] = (struct mtask){ .top = 89, .lines = 23, .pt = 0, .pb = 1, .oh = 22, .orow = 90,
			       .dbank = 10, .wbank = 2, .reuse = true };
	return qconv_check(&q, t, 2);
}

/* big_weights_u8: 8x8x256 -> 160, weights over the 11 weight banks: streamed */
static bool streamed_weights(void)
{
	struct qconv q;

	qc_init(&q, 8, 256, 160, 3, 1, true);
	return qconv_check(&q, NULL, 0);
}

/* Refusals: what Mesa never programs */
static bool refused_with(void (*edit)(uint64_t *e, uint32_t n), const char *needle)
{
	struct qconv q;
	struct mtask t;
	struct maddr a;
	uint64_t e[MAX_ENTRIES];
	enum rkt_model_outcome o;
	uint32_t n;

	qc_init(&q, 16, 32, 32, 1, 1, false);
	qconv_shape(&q);
	memset(&t, 0, sizeof(t));
	t.lines = 16;
	t.oh = 16;
	t.dbank = 1;
	t.wbank = 11;
	a.in = mem_alloc(16 * 16 * 32, 0);
	a.wt = mem_alloc(32 * 32, 0);
	a.bias = mem_alloc(32 * 4, 0);
	a.out = mem_alloc(16 * 16 * 64, 0);
	a.t = 0;
	n = mesa_regcmd(&q, &t, &a, e, false);
	edit(e, n);
	o = submit_list(e, n);
	CHECK(o == RKT_MODEL_REFUSED, "outcome %s, expected REFUSED", rkt_model_outcome_name(o));
	CHECK(strstr(rkt_model_log(&model), needle), "log lacks '%s': %s", needle,
	      rkt_model_log(&model));
	CHECK(!(raw_status_dpu()), "completion bit set on a refused task");
	return true;
}

static void ed_round_bit(uint64_t *e, uint32_t n)
{
	patch_entry(e, n, REG_DPU_OUT_CVT_SHIFT, entry_value(e, n, REG_DPU_OUT_CVT_SHIFT) |
		    DPU_OUT_CVT_SHIFT_CVT_ROUND(1));
}

static void ed_truncate(uint64_t *e, uint32_t n)
{
	patch_entry(e, n, REG_CORE_CLIP_TRUNCATE, 1);
}

static void ed_bs_relu(uint64_t *e, uint32_t n)
{
	patch_entry(e, n, REG_DPU_BS_CFG, entry_value(e, n, REG_DPU_BS_CFG) &
		    ~DPU_BS_CFG_BS_RELU_BYPASS__MASK);
}

static void ed_kernel_5(uint64_t *e, uint32_t n)
{
	patch_entry(e, n, REG_CNA_WEIGHT_SIZE2, CNA_WEIGHT_SIZE2_WEIGHT_WIDTH(5) |
		    CNA_WEIGHT_SIZE2_WEIGHT_HEIGHT(5) | CNA_WEIGHT_SIZE2_WEIGHT_KERNELS(32));
}

static void ed_stride_3(uint64_t *e, uint32_t n)
{
	patch_entry(e, n, REG_CNA_CONV_CON3, CNA_CONV_CON3_CONV_X_STRIDE(3) |
		    CNA_CONV_CON3_CONV_Y_STRIDE(3));
}

static void ed_dilation(uint64_t *e, uint32_t n)
{
	patch_entry(e, n, REG_CNA_CONV_CON3, entry_value(e, n, REG_CNA_CONV_CON3) |
		    CNA_CONV_CON3_ATROUS_X_DILATION(1));
}

static void ed_surface_add(uint64_t *e, uint32_t n)
{
	patch_entry(e, n, REG_DPU_SURFACE_ADD, entry_value(e, n, REG_DPU_SURFACE_ADD) * 2);
}

static void ed_line_stride(uint64_t *e, uint32_t n)
{
	patch_entry(e, n, REG_CNA_DMA_CON1, entry_value(e, n, REG_CNA_DMA_CON1) + 4);
}

static void ed_ew_other(uint64_t *e, uint32_t n)
{
	patch_entry(e, n, REG_DPU_EW_CFG, DPU_EW_CFG_EW_ALU_ALGO(1) | DPU_EW_CFG_EW_OP_SRC(1));
}

static void ed_misc_no_qd(uint64_t *e, uint32_t n)
{
	patch_entry(e, n, REG_CORE_MISC_CFG, 0);
}

static void ed_orig_partial(uint64_t *e, uint32_t n)
{
	patch_entry(e, n, REG_DPU_DATA_CUBE_CHANNEL, DPU_DATA_CUBE_CHANNEL_ORIG_CHANNEL(23) |
		    DPU_DATA_CUBE_CHANNEL_CHANNEL(31));
}

static void ed_lut(uint64_t *e, uint32_t n)
{
	patch_entry(e, n, REG_DPU_LUT_CFG, 1);
}

#define REFUSAL(name, edit, needle) \
	static bool name(void) { return refused_with(edit, needle); }
REFUSAL(refuse_cvt_round, ed_round_bit, "DPU_OUT_CVT_SHIFT")
REFUSAL(refuse_clip_truncate, ed_truncate, "CORE_CLIP_TRUNCATE")
REFUSAL(refuse_bs_relu, ed_bs_relu, "DPU_BS_CFG")
REFUSAL(refuse_kernel_5x5, ed_kernel_5, "1x1 and 3x3")
REFUSAL(refuse_stride_3, ed_stride_3, "strides 3/3")
REFUSAL(refuse_dilation, ed_dilation, "CNA_CONV_CON3")
REFUSAL(refuse_surface_add, ed_surface_add, "DPU_SURFACE_ADD")
REFUSAL(refuse_line_stride, ed_line_stride, "LINE_STRIDE")
REFUSAL(refuse_ew_other, ed_ew_other, "DPU_EW_CFG")
REFUSAL(refuse_misc_cfg, ed_misc_no_qd, "CORE_MISC_CFG")
REFUSAL(refuse_partial_atom, ed_orig_partial, "partial output atom")
REFUSAL(refuse_lut, ed_lut, "DPU_LUT_CFG")

/* WEIGHT_REUSE on a first task: nothing resident */
static bool refuse_reuse_first(void)
{
	struct qconv q;
	struct mtask t;
	struct qrun r;

	qc_init(&q, 16, 32, 32, 1, 1, false);
	memset(&t, 0, sizeof(t));
	t.lines = 16;
	t.oh = 16;
	t.dbank = 1;
	t.wbank = 11;
	t.reuse = true;
	qconv_run(&q, &t, 1, &r);
	qconv_free(&q);
	CHECK(r.o == RKT_MODEL_REFUSED, "outcome %s", rkt_model_outcome_name(r.o));
	CHECK(strstr(rkt_model_log(&model), "WEIGHT_REUSE"), "log: %s", rkt_model_log(&model));
	return true;
}

/* The comparison fails when the output is off: the reference is not circular. */
static bool selfcheck_wrong_bias_detected(void)
{
	struct qconv q;
	struct qrun r;
	bool ok;

	qc_init(&q, 16, 32, 32, 1, 1, false);
	/* the reference's bias off by about 3 output units, the model's not */
	ref_bias_delta = (int32_t)(3.0f * q.s_out / (q.s_in * q.s_w));
	ok = qconv_run(&q, NULL, 0, &r);
	ref_bias_delta = 0;
	qconv_free(&q);
	CHECK(ok, "run failed: %s", why);
	CHECK(r.over > 0, "a reference 3 units off was accepted (max diff %u)", r.max_diff);
	return true;
}

static const struct {
	const char *name;
	bool (*fn)(void);
} tests[] = {
	{ "conv_1x1_u8", conv1x1 },
	{ "conv_1x1_zero_points_0_relu", conv1x1_zero_points_0 },
	{ "conv_3x3_s1_same", conv3x3_same },
	{ "conv_3x3_s1_same_izp0_pad_8080", conv3x3_same_izp0 },
	{ "conv_3x3_s1_valid", conv3x3_valid },
	{ "conv_3x3_s2_same", conv3x3_s2_same },
	{ "conv_3x3_s2_valid_17x17", conv3x3_s2_valid_17 },
	{ "conv_3x3_s2_same_3ch_in", conv3x3_c3_in },
	{ "conv_1x1_64_to_64", conv1x1_64_to_64 },
	{ "conv_3x3_relu", conv3x3_relu },
	{ "dw_3x3_s1_same", dw3x3_same },
	{ "dw_3x3_s2_valid_17x17", dw3x3_s2_valid },
	{ "dw_3x3_16ch_izp0", dw3x3_16ch_izp0 },
	{ "add_fused_32ch", add_fused },
	{ "add_fused_64ch", add_fused_64ch },
	{ "split_two_tasks_weight_reuse_112x112", split_two_tasks_reuse },
	{ "streamed_weights_8x8x256_to_160", streamed_weights },
	{ "refuse_cvt_round", refuse_cvt_round },
	{ "refuse_clip_truncate", refuse_clip_truncate },
	{ "refuse_bs_relu", refuse_bs_relu },
	{ "refuse_kernel_5x5", refuse_kernel_5x5 },
	{ "refuse_stride_3", refuse_stride_3 },
	{ "refuse_dilation", refuse_dilation },
	{ "refuse_surface_add", refuse_surface_add },
	{ "refuse_line_stride", refuse_line_stride },
	{ "refuse_ew_other", refuse_ew_other },
	{ "refuse_misc_cfg", refuse_misc_cfg },
	{ "refuse_partial_atom", refuse_partial_atom },
	{ "refuse_lut", refuse_lut },
	{ "refuse_reuse_first_task", refuse_reuse_first },
	{ "selfcheck_wrong_bias_detected", selfcheck_wrong_bias_detected },
};

int main(void)
{
	size_t i;

	mem_init(64u << 20);
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		why[0] = '\0';
		note[0] = '\0';
		mem_reset();
		rkt_model_init(&model, &mem_ops, NULL);
		if (tests[i].fn()) {
			printf("PASS %s%s\n", tests[i].name, note);
			n_pass++;
		} else {
			printf("FAIL %s: %s\n", tests[i].name, why);
			n_fail++;
		}
	}
	printf("%u passed, %u failed\n", n_pass, n_fail);
	free(mem.buf);
	return n_fail ? 1 : 0;
}
