/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The NPU registers and fields the rocket selftests program, with their
 * offsets and bit positions as the driver's rocket_registers.h has them
 * (generated from Mesa's registers.xml). Only what the hand-built command
 * lists of rocket_matmul_job.h use: the tests build without the driver's
 * internal headers.
 */
#ifndef __SELFTESTS_ROCKET_NPU_REGS_H__
#define __SELFTESTS_ROCKET_NPU_REGS_H__

#include <stdint.h>

/* A field of @width bits at @shift holding @val. */
static inline uint32_t npu_field(uint32_t val, unsigned int shift, unsigned int width)
{
	return (uint32_t)(((uint64_t)val << shift) & (((1ull << width) - 1) << shift));
}

#define REG_CNA_CBUF_CON0		0x1040
#define REG_CNA_CBUF_CON1		0x1044
#define REG_CNA_CONV_CON1		0x100c
#define REG_CNA_CONV_CON2		0x1010
#define REG_CNA_CONV_CON3		0x1014
#define REG_CNA_CVT_CON0		0x104c
#define REG_CNA_CVT_CON1		0x1050
#define REG_CNA_CVT_CON2		0x1054
#define REG_CNA_CVT_CON3		0x1058
#define REG_CNA_CVT_CON4		0x105c
#define REG_CNA_DATA_SIZE0		0x1020
#define REG_CNA_DATA_SIZE1		0x1024
#define REG_CNA_DATA_SIZE2		0x1028
#define REG_CNA_DATA_SIZE3		0x102c
#define REG_CNA_DCOMP_ADDR0		0x1110
#define REG_CNA_DMA_CON0		0x1078
#define REG_CNA_DMA_CON1		0x107c
#define REG_CNA_DMA_CON2		0x1080
#define REG_CNA_FC_DATA_SIZE0		0x1084
#define REG_CNA_FC_DATA_SIZE1		0x1088
#define REG_CNA_FEATURE_DATA_ADDR	0x1070
#define REG_CNA_WEIGHT_SIZE0		0x1030
#define REG_CNA_WEIGHT_SIZE1		0x1034
#define REG_CNA_WEIGHT_SIZE2		0x1038
#define REG_CORE_DATAOUT_SIZE_0		0x3014
#define REG_CORE_DATAOUT_SIZE_1		0x3018
#define REG_CORE_MISC_CFG		0x3010
#define REG_DPU_BN_CFG			0x4060
#define REG_DPU_BS_CFG			0x4040
#define REG_DPU_BS_OW_CFG		0x4050
#define REG_DPU_DATA_CUBE_CHANNEL	0x403c
#define REG_DPU_DATA_CUBE_HEIGHT	0x4034
#define REG_DPU_DATA_FORMAT		0x4010
#define REG_DPU_DST_BASE_ADDR		0x4020
#define REG_DPU_DST_SURF_STRIDE		0x4024
#define REG_DPU_EW_CFG			0x4070
#define REG_DPU_FEATURE_MODE_CFG	0x400c
#define REG_DPU_OUT_CVT_SCALE		0x4084
#define REG_DPU_RDMA_RDMA_ERDMA_CFG	0x5034
#define REG_DPU_RDMA_RDMA_FEATURE_MODE_CFG	0x5044
#define REG_DPU_RDMA_RDMA_S_POINTER	0x5004
#define REG_DPU_SURFACE_ADD		0x40c0
#define REG_DPU_S_POINTER		0x4004
#define REG_DPU_WDMA_SIZE_0		0x4058
#define REG_DPU_WDMA_SIZE_1		0x405c
#define REG_PC_BASE_ADDRESS		0x0010
#define REG_PC_OPERATION_ENABLE		0x0008
#define REG_PC_REGISTER_AMOUNTS		0x0014

#define CNA_CBUF_CON0_DATA_BANK(val)	npu_field(val, 0, 4)
#define CNA_CBUF_CON0_DATA_REUSE(val)	npu_field(val, 12, 1)
#define CNA_CBUF_CON0_WEIGHT_BANK(val)	npu_field(val, 4, 4)
#define CNA_CBUF_CON1_DATA_ENTRIES(val)	npu_field(val, 0, 14)
#define CNA_CONV_CON1_IN_PRECISION(val)	npu_field(val, 4, 3)
#define CNA_CONV_CON1_PROC_PRECISION(val)	npu_field(val, 7, 3)
#define CNA_CONV_CON2_FEATURE_GRAINS(val)	npu_field(val, 4, 10)
#define CNA_CONV_CON3_CONV_X_STRIDE(val)	npu_field(val, 0, 3)
#define CNA_CONV_CON3_CONV_Y_STRIDE(val)	npu_field(val, 3, 3)
#define CNA_CVT_CON0_CVT_BYPASS(val)	npu_field(val, 0, 1)
#define CNA_CVT_CON0_CVT_TYPE(val)	npu_field(val, 1, 1)
#define CNA_CVT_CON0_DATA_SIGN(val)	npu_field(val, 3, 1)
#define CNA_CVT_CON1_CVT_SCALE0(val)	npu_field(val, 16, 16)
#define CNA_CVT_CON2_CVT_SCALE1(val)	npu_field(val, 16, 16)
#define CNA_CVT_CON3_CVT_SCALE2(val)	npu_field(val, 16, 16)
#define CNA_CVT_CON4_CVT_SCALE3(val)	npu_field(val, 16, 16)
#define CNA_DATA_SIZE0_DATAIN_HEIGHT(val)	npu_field(val, 0, 11)
#define CNA_DATA_SIZE0_DATAIN_WIDTH(val)	npu_field(val, 16, 11)
#define CNA_DATA_SIZE1_DATAIN_CHANNEL(val)	npu_field(val, 0, 16)
#define CNA_DATA_SIZE1_DATAIN_CHANNEL_REAL(val)	npu_field(val, 16, 14)
#define CNA_DATA_SIZE2_DATAOUT_WIDTH(val)	npu_field(val, 0, 11)
#define CNA_DATA_SIZE3_DATAOUT_ATOMICS(val)	npu_field(val, 0, 22)
#define CNA_DMA_CON0_DATA_BURST_LEN(val)	npu_field(val, 0, 4)
#define CNA_DMA_CON0_WEIGHT_BURST_LEN(val)	npu_field(val, 16, 4)
#define CNA_DMA_CON1_LINE_STRIDE(val)	npu_field(val, 0, 28)
#define CNA_DMA_CON2_SURF_STRIDE(val)	npu_field(val, 0, 28)
#define CNA_FC_DATA_SIZE0_DMA_HEIGHT(val)	npu_field(val, 0, 11)
#define CNA_FC_DATA_SIZE0_DMA_WIDTH(val)	npu_field(val, 16, 14)
#define CNA_FC_DATA_SIZE1_DMA_CHANNEL(val)	npu_field(val, 0, 16)
#define CNA_WEIGHT_SIZE1_WEIGHT_BYTES_PER_KERNEL(val)	npu_field(val, 0, 19)
#define CNA_WEIGHT_SIZE2_WEIGHT_HEIGHT(val)	npu_field(val, 16, 5)
#define CNA_WEIGHT_SIZE2_WEIGHT_KERNELS(val)	npu_field(val, 0, 14)
#define CNA_WEIGHT_SIZE2_WEIGHT_WIDTH(val)	npu_field(val, 24, 5)
#define CORE_DATAOUT_SIZE_0_DATAOUT_HEIGHT(val)	npu_field(val, 16, 16)
#define CORE_DATAOUT_SIZE_1_DATAOUT_CHANNEL(val)	npu_field(val, 0, 16)
#define CORE_MISC_CFG_PROC_PRECISION(val)	npu_field(val, 8, 3)
#define CORE_MISC_CFG_QD_EN(val)	npu_field(val, 0, 1)
#define DPU_BN_CFG_BN_ALU_BYPASS(val)	npu_field(val, 1, 1)
#define DPU_BN_CFG_BN_BYPASS(val)	npu_field(val, 0, 1)
#define DPU_BN_CFG_BN_MUL_BYPASS(val)	npu_field(val, 4, 1)
#define DPU_BN_CFG_BN_RELU_BYPASS(val)	npu_field(val, 6, 1)
#define DPU_BS_CFG_BS_ALU_BYPASS(val)	npu_field(val, 1, 1)
#define DPU_BS_CFG_BS_BYPASS(val)	npu_field(val, 0, 1)
#define DPU_BS_CFG_BS_MUL_BYPASS(val)	npu_field(val, 4, 1)
#define DPU_BS_CFG_BS_RELU_BYPASS(val)	npu_field(val, 6, 1)
#define DPU_BS_OW_CFG_OD_BYPASS(val)	npu_field(val, 1, 1)
#define DPU_BS_OW_CFG_SIZE_E_0(val)	npu_field(val, 2, 3)
#define DPU_BS_OW_CFG_SIZE_E_1(val)	npu_field(val, 5, 3)
#define DPU_BS_OW_CFG_SIZE_E_2(val)	npu_field(val, 8, 3)
#define DPU_DATA_CUBE_CHANNEL_CHANNEL(val)	npu_field(val, 0, 13)
#define DPU_DATA_CUBE_CHANNEL_ORIG_CHANNEL(val)	npu_field(val, 16, 13)
#define DPU_DATA_CUBE_HEIGHT_HEIGHT(val)	npu_field(val, 0, 13)
#define DPU_DATA_FORMAT_IN_PRECISION(val)	npu_field(val, 26, 3)
#define DPU_DATA_FORMAT_OUT_PRECISION(val)	npu_field(val, 29, 3)
#define DPU_DATA_FORMAT_PROC_PRECISION(val)	npu_field(val, 0, 3)
#define DPU_DST_SURF_STRIDE_DST_SURF_STRIDE(val)	npu_field(val, 4, 28)
#define DPU_EW_CFG_EW_BYPASS(val)	npu_field(val, 0, 1)
#define DPU_EW_CFG_EW_LUT_BYPASS(val)	npu_field(val, 7, 1)
#define DPU_EW_CFG_EW_OP_BYPASS(val)	npu_field(val, 1, 1)
#define DPU_EW_CFG_EW_OP_CVT_BYPASS(val)	npu_field(val, 8, 1)
#define DPU_EW_CFG_EW_RELU_BYPASS(val)	npu_field(val, 9, 1)
#define DPU_FEATURE_MODE_CFG_BURST_LEN(val)	npu_field(val, 5, 4)
#define DPU_FEATURE_MODE_CFG_OUTPUT_MODE(val)	npu_field(val, 1, 2)
#define DPU_OUT_CVT_SCALE_OUT_CVT_SCALE(val)	npu_field(val, 0, 16)
#define DPU_RDMA_RDMA_ERDMA_CFG_ERDMA_DISABLE(val)	npu_field(val, 0, 1)
#define DPU_RDMA_RDMA_FEATURE_MODE_CFG_MRDMA_DISABLE(val)	npu_field(val, 4, 1)
#define DPU_RDMA_RDMA_S_POINTER_EXECUTER_PP_EN(val)	npu_field(val, 2, 1)
#define DPU_RDMA_RDMA_S_POINTER_POINTER_PP_EN(val)	npu_field(val, 1, 1)
#define DPU_RDMA_RDMA_S_POINTER_POINTER_PP_MODE(val)	npu_field(val, 3, 1)
#define DPU_SURFACE_ADD_SURF_ADD(val)	npu_field(val, 4, 28)
#define DPU_S_POINTER_EXECUTER_PP_EN(val)	npu_field(val, 2, 1)
#define DPU_S_POINTER_POINTER_PP_EN(val)	npu_field(val, 1, 1)
#define DPU_S_POINTER_POINTER_PP_MODE(val)	npu_field(val, 3, 1)
#define DPU_WDMA_SIZE_0_CHANNEL_WDMA(val)	npu_field(val, 0, 13)
#define DPU_WDMA_SIZE_1_HEIGHT_WDMA(val)	npu_field(val, 16, 13)

#endif /* __SELFTESTS_ROCKET_NPU_REGS_H__ */
