/* Deliberately exercises truncation and non-literal formats. */
#pragma GCC diagnostic ignored "-Wformat-truncation"
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-security"
/*
 * Host unit test of the kernel's printf engine (kern/fmt.c): a
 * differential test against the host C library's snprintf over many
 * combinations of flags, widths, precisions, lengths and values.
 */
#define snprintf mk_snprintf
#define vsnprintf mk_vsnprintf
#include "../../kern/fmt.c"
#undef snprintf
#undef vsnprintf
#include <stdio.h>
#include <string.h>

static int points, failures;

static void check(int ok, const char *what, const char *got, const char *want)
{
	points++;
	if (!ok) {
		failures++;
		printf("not ok %d - %s: got \"%s\" want \"%s\"\n", points, what, got, want);
	}
}

int main(void)
{
	static const char *flags[] = { "", "-", "0", "+", " ", "#", "-+", "0+", "#0" };
	static const char *widths[] = { "", "1", "5", "12" };
	static const char *precs[] = { "", ".0", ".3", ".10" };
	static const char convs[] = "diuxXo";
	static const long long vals[] = { 0, 1, -1, 42, -42, 255, 65535, 2147483647,
					  -2147483647 - 1, 4294967295ll };
	char fmt[32], got[128], want[128];
	int cases = 0, bad = 0;

	printf("1..4\n");
	for (size_t f = 0; f < sizeof(flags) / sizeof(*flags); f++)
	for (size_t w = 0; w < sizeof(widths) / sizeof(*widths); w++)
	for (size_t p = 0; p < sizeof(precs) / sizeof(*precs); p++)
	for (size_t c = 0; convs[c]; c++)
	for (size_t v = 0; v < sizeof(vals) / sizeof(*vals); v++) {
		/* '0' with a precision, and '#'/'+'/' ' on the wrong conversions, are
		 * either ignored or undefined in C; skip the undefined ones. */
		int sign_conv = convs[c] == 'd' || convs[c] == 'i';
		if (strchr(flags[f], '#') && sign_conv)
			continue;
		snprintf(fmt, sizeof(fmt), "%%%s%s%s%c", flags[f], widths[w], precs[p], convs[c]);
		if (sign_conv) {
			mk_snprintf(got, sizeof(got), fmt, (int)vals[v]);
			snprintf(want, sizeof(want), fmt, (int)vals[v]);
		} else {
			mk_snprintf(got, sizeof(got), fmt, (unsigned)vals[v]);
			snprintf(want, sizeof(want), fmt, (unsigned)vals[v]);
		}
		cases++;
		if (strcmp(got, want) != 0) {
			if (bad++ < 10)
				printf("# %s: got \"%s\" want \"%s\"\n", fmt, got, want);
		}
	}
	points++;
	if (bad) failures++;
	printf("%sok %d - %d int conversions match the C library (%d differ)\n",
	       bad ? "not " : "", points, cases, bad);

	bad = 0;
	cases = 0;
	static const char *lfmts[] = { "%lld", "%llu", "%llx", "%20lld", "%-20llx|", "%#llo" };
	static const long long lvals[] = { 0, -1, 1ll << 40, -(1ll << 62), 9223372036854775807ll };
	for (size_t f = 0; f < sizeof(lfmts) / sizeof(*lfmts); f++)
		for (size_t v = 0; v < sizeof(lvals) / sizeof(*lvals); v++) {
			mk_snprintf(got, sizeof(got), lfmts[f], lvals[v]);
			snprintf(want, sizeof(want), lfmts[f], lvals[v]);
			cases++;
			if (strcmp(got, want)) {
				if (bad++ < 10)
					printf("# %s: got \"%s\" want \"%s\"\n", lfmts[f], got, want);
			}
		}
	points++;
	if (bad) failures++;
	printf("%sok %d - %d long long conversions match\n", bad ? "not " : "", points, cases);

	static const char *sfmts[] = { "%s|", "%10s|", "%-10s|", "%.2s|", "%5.1s|", "%c|", "%5c|", "%-3c|", "%%|" };
	bad = 0;
	for (size_t f = 0; f < sizeof(sfmts) / sizeof(*sfmts); f++) {
		if (strchr(sfmts[f], 'c')) {
			mk_snprintf(got, sizeof(got), sfmts[f], 'x');
			snprintf(want, sizeof(want), sfmts[f], 'x');
		} else {
			mk_snprintf(got, sizeof(got), sfmts[f], "hello");
			snprintf(want, sizeof(want), sfmts[f], "hello");
		}
		if (strcmp(got, want)) {
			bad++;
			printf("# %s: got \"%s\" want \"%s\"\n", sfmts[f], got, want);
		}
	}
	points++;
	if (bad) failures++;
	printf("%sok %d - string and char conversions match\n", bad ? "not " : "", points);

	int n = mk_snprintf(got, 6, "%d-%s", 12345, "abcdef");
	int m = snprintf(want, 6, "%d-%s", 12345, "abcdef");
	check(n == m && strcmp(got, want) == 0, "truncation", got, want);
	if (n == m && strcmp(got, want) == 0)
		printf("ok %d - truncation and return value match\n", points);
	return failures ? 1 : 0;
}
