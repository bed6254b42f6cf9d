// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Runs the KUnit suite drivers/accel/rocket/rocket_matmul_test.c on the host
 * through kunit-shim/: "PASS rocket_matmul.<case>[.<param>]" a case.
 */

#include "../../drivers/accel/rocket/rocket_matmul_test.c"

int main(void)
{
	const struct kunit_case *c;
	unsigned int pass = 0, fail = 0;
	char desc[KUNIT_PARAM_DESC_SIZE];

	for (c = kunit_shim_suite->test_cases; c->run_case; c++) {
		const void *param = NULL;

		do {
			struct kunit test = { 0 };
			int i;

			desc[0] = '\0';
			if (c->generate_params) {
				param = c->generate_params(param, desc);
				if (!param)
					break;
			}
			test.param_value = param;
			c->run_case(&test);
			for (i = 0; i < test.nallocs; i++)
				free(test.allocs[i]);
			printf("%s %s.%s%s%s%s%s\n", test.failed ? "FAIL" : "PASS",
			       kunit_shim_suite->name, c->name, desc[0] ? "." : "", desc,
			       test.failed ? ": " : "", test.failed ? test.why : "");
			test.failed ? fail++ : pass++;
		} while (c->generate_params);
	}
	printf("kunit on the host: %u passed, %u failed\n", pass, fail);
	return fail ? 1 : 0;
}
