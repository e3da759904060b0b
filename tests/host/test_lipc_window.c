/*
 * Host unit test of the long-IPC window arithmetic
 * (arch/i386/include/machine/lipc_window.h): where the window sits for a
 * receiver address, which receiver PDEs cover a range, how a string is
 * cut into window moves, window <-> receiver address translation, and
 * that no step ever reaches past the window or into kernel PDEs.  Ends
 * with a randomised check against a byte-by-byte model.  TAP output;
 * exit status 1 on failure.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "arch/i386/include/machine/lipc_window.h"

static int points, failures;

static bool check(bool ok, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static bool check(bool ok, const char *fmt, ...)
{
	va_list ap;

	points++;
	if (!ok)
		failures++;
	printf("%sok %d - ", ok ? "" : "not ", points);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	return ok;
}

#define MiB	(1024u * 1024u)

/* What a whole copy did, step by step (as lipc_window_copy runs it). */
struct plan {
	unsigned steps, moves;
	uint32_t copied;
	bool in_window;		/* every step inside [WINDOW_BASE, +WINDOW_SIZE) */
	bool translates;	/* window address maps back to the receiver address */
	bool user_pdes;		/* every byte's receiver PDE is a user PDE */
	bool contiguous;	/* steps cover the range in order, no gap */
	bool nonempty;		/* no step copies 0 bytes */
	uint32_t first_n;	/* bytes of the first step */
};

static struct plan run_plan(bool positioned, uint32_t base, uint32_t ra, uint32_t len)
{
	struct plan p = { 0, 0, 0, true, true, true, true, true, 0 };
	uint32_t next = ra;

	while (len > 0) {
		uint32_t b, n;
		if (lipc_win_step(positioned, base, ra, len, &b, &n))
			p.moves++;
		positioned = true;
		base = b;
		if (p.steps == 0)
			p.first_n = n;
		p.steps++;
		if (n == 0) {
			p.nonempty = false;
			break;
		}
		uint32_t va = lipc_win_va(base, ra);
		if (!lipc_win_covers(base, ra) || va < WINDOW_BASE ||
		    (uint64_t)va + n > (uint64_t)WINDOW_BASE + WINDOW_SIZE)
			p.in_window = false;
		if (lipc_win_ra(base, va) != ra || lipc_win_ra(base, va + n - 1) != ra + n - 1)
			p.translates = false;
		if (!lipc_win_pdx_ok(LIPC_PDX(ra)) || !lipc_win_pdx_ok(LIPC_PDX(ra + n - 1)))
			p.user_pdes = false;
		if (ra != next)
			p.contiguous = false;
		ra += n;
		next = ra;
		len -= n;
		p.copied += n;
	}
	return p;
}

static void test_base_and_translation(void)
{
	check(lipc_win_base(0x00001000) == 0, "base of 0x1000 is 0");
	check(lipc_win_base(0x003fffff) == 0, "base of 0x3fffff is 0");
	check(lipc_win_base(0x00400000) == 0x00400000, "base of 0x400000 is itself");
	check(lipc_win_base(0x12345678) == 0x12000000, "base of 0x12345678 is 0x12000000");
	check(lipc_win_base(0xbfffffff) == 0xbfc00000, "base of the last user byte");

	check(lipc_win_va(0x12000000, 0x12345678) == WINDOW_BASE + 0x345678,
	      "receiver 0x12345678 at window offset 0x345678");
	check(lipc_win_va(0x12000000, 0x127fffff) == WINDOW_BASE + WINDOW_SIZE - 1,
	      "last byte of the window");
	check(lipc_win_ra(0x12000000, WINDOW_BASE + 0x400000) == 0x12400000,
	      "window slot 1 shows the next PDE");
	check(lipc_win_slot(WINDOW_BASE) == 0 && lipc_win_slot(WINDOW_BASE + PDE_SIZE - 1) == 0,
	      "slot 0 is the first 4 MiB");
	check(lipc_win_slot(WINDOW_BASE + PDE_SIZE) == 1 &&
	      lipc_win_slot(WINDOW_BASE + WINDOW_SIZE - 1) == 1, "slot 1 is the second 4 MiB");
	check(lipc_win_covers(0x12000000, 0x12000000) && lipc_win_covers(0x12000000, 0x127fffff),
	      "window covers both of its PDEs");
	check(!lipc_win_covers(0x12000000, 0x12800000) && !lipc_win_covers(0x12000000, 0x11ffffff),
	      "window does not cover its neighbours");
	check(LIPC_PDX(WINDOW_BASE) == 0x3c0, "window PDE index 0x3c0");
}

static void test_pdes(void)
{
	uint32_t f, l;

	lipc_range_pdes(0x1000, 1, &f, &l);
	check(f == 0 && l == 0, "1 byte at 0x1000: PDE 0");
	lipc_range_pdes(0x3ff000, 0x2000, &f, &l);
	check(f == 0 && l == 1, "8 KiB across 0x400000: PDEs 0..1 (%u..%u)", f, l);
	lipc_range_pdes(0x10000123, 9 * MiB, &f, &l);
	check(f == 0x40 && l == 0x42, "9 MiB at 0x10000123: PDEs 0x40..0x42 (%#x..%#x)", f, l);
	lipc_range_pdes(0xbffff000, 0x1000, &f, &l);
	check(f == 0x2ff && l == 0x2ff, "last user page: PDE 0x2ff");
	check(lipc_win_pdx_ok(0) && lipc_win_pdx_ok(0x2ff), "user PDEs may be copied");
	check(!lipc_win_pdx_ok(0x300) && !lipc_win_pdx_ok(0x3c0) && !lipc_win_pdx_ok(0x3ff),
	      "kernel PDEs (direct map, window) may not");
}

static void test_spans(void)
{
	check(lipc_win_span(0x12000000, 0x12345678, 10) == 10, "short string fits");
	check(lipc_win_span(0x12000000, 0x127ffff0, 100) == 16,
	      "span stops at the window's end");
	check(lipc_win_span(0x12000000, 0x12000000, 0xffffffffu) == WINDOW_SIZE,
	      "a huge string takes a whole window");
	check(lipc_win_span(0xbfc00000, 0xbffffff0, 16) == 16,
	      "a string ending at the top of user space");
}

static void test_moves(void)
{
	struct plan p;

	check(lipc_win_moves(0x10000000, 1) == 1, "1 byte: one window");
	check(lipc_win_moves(0x10000ffd, 4096) == 1, "4 KiB across a page: one window");
	check(lipc_win_moves(0x103ffff0, 65536) == 1, "64 KiB across a PDE: one window");
	check(lipc_win_moves(0x107ffff0, 32) == 1, "32 bytes across a PDE end: one window");
	check(lipc_win_moves(0x107ffff0, 4 * MiB + 32) == 2,
	      "4 MiB + 32 across two PDE ends: two windows");
	check(lipc_win_moves(0x10000000, 8 * MiB) == 1, "8 MiB aligned: one window");
	check(lipc_win_moves(0x10000000, 8 * MiB + 1) == 2, "8 MiB + 1: two windows");
	check(lipc_win_moves(0x10000123, 9 * MiB) == 2, "9 MiB unaligned: two windows");
	check(lipc_win_moves(0x10300000, 9 * MiB) == 2, "9 MiB at 3 MiB into a PDE: two");
	check(lipc_win_moves(0x10300000, 14 * MiB) == 3, "14 MiB at 3 MiB into a PDE: three");

	p = run_plan(false, 0, 0x10000123, 9 * MiB);
	check(p.moves == 2 && p.steps == 2 && p.copied == 9 * MiB,
	      "9 MiB plan: 2 moves, 2 steps, all bytes (%u, %u, %u)", p.moves, p.steps, p.copied);
	check(p.first_n == 8 * MiB - 0x123, "first window takes 8 MiB - 0x123 (%#x)", p.first_n);
	check(p.in_window && p.translates && p.user_pdes && p.contiguous && p.nonempty,
	      "9 MiB plan stays in the window and in user PDEs");

	/* a window already showing the target is kept */
	p = run_plan(true, 0x10000000, 0x10500000, 0x1000);
	check(p.moves == 0 && p.steps == 1, "target in slot 1 of the current window: no move");
	p = run_plan(true, 0x10000000, 0x107ff000, 0x2000);
	check(p.moves == 1 && p.steps == 2 && p.first_n == 0x1000,
	      "current window, string past its end: one step then one move");
	p = run_plan(true, 0x10000000, 0x20000000, 0x10);
	check(p.moves == 1, "target elsewhere: the window moves");

	/* the top of user space: slot 1 would be a kernel PDE, never used */
	p = run_plan(false, 0, 0xbff00000, 0x100000);
	check(p.moves == 1 && p.user_pdes && p.copied == 0x100000,
	      "1 MiB ending at 0xc0000000 uses only user PDEs");
	check(lipc_win_base(0xbff00000) == 0xbfc00000 && !lipc_win_pdx_ok(LIPC_PDX(0xbfc00000) + 1),
	      "(its window's slot 1 is PDE 0x300, which is never copied)");

	/* the largest possible string */
	p = run_plan(false, 0, 0x1000, VM_MAX_USER - 0x1000);
	check(p.copied == VM_MAX_USER - 0x1000 && p.moves == lipc_win_moves(0x1000, VM_MAX_USER - 0x1000) &&
	      p.in_window && p.user_pdes && p.contiguous,
	      "all of user space: %u moves, every step in the window", p.moves);
}

/* xorshift32, deterministic */
static uint32_t rnd_state = 0x2545f491u;
static uint32_t rnd(void)
{
	uint32_t x = rnd_state;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return rnd_state = x;
}

static void test_random(void)
{
	unsigned bad = 0, runs = 20000;

	for (unsigned i = 0; i < runs; i++) {
		uint32_t ra = VM_MIN_USER + rnd() % (VM_MAX_USER - VM_MIN_USER);
		uint32_t room = VM_MAX_USER - ra;
		uint32_t len;
		switch (rnd() % 4) {
		case 0:	len = 1 + rnd() % 64; break;
		case 1:	len = 1 + rnd() % (64 * 1024); break;
		case 2:	len = 1 + rnd() % (20 * MiB); break;
		default: len = 1 + rnd() % room; break;
		}
		if (len > room)
			len = room;
		bool positioned = rnd() % 2;
		uint32_t cur = lipc_win_base(VM_MIN_USER + rnd() % (VM_MAX_USER - VM_MIN_USER));
		struct plan p = run_plan(positioned, cur, ra, len);
		bool keep = positioned && lipc_win_covers(cur, ra);
		uint32_t expect = lipc_win_moves(ra, len);
		/* keeping a window that already shows ra never costs more moves */
		bool moves_ok = keep ? (p.moves <= expect) : (p.moves == expect);
		if (!(p.copied == len && p.in_window && p.translates && p.user_pdes &&
		      p.contiguous && p.nonempty && moves_ok)) {
			if (bad++ < 5)
				printf("# bad plan: ra %#x len %#x pos %d cur %#x: copied %#x moves %u "
				       "(expect %u) flags %d%d%d%d%d\n", ra, len, positioned, cur,
				       p.copied, p.moves, expect, p.in_window, p.translates,
				       p.user_pdes, p.contiguous, p.nonempty);
		}
	}
	check(bad == 0, "%u random copies: every plan exact, in the window, in user PDEs "
	      "(%u bad)", runs, bad);
}

int main(void)
{
	test_base_and_translation();
	test_pdes();
	test_spans();
	test_moves();
	test_random();
	printf("1..%d\n", points);
	return failures ? 1 : 0;
}
