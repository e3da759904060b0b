/*
 * rand_r: a small reentrant pseudo-random generator.
 */
#include <stdlib.h>

/*
 * rand_r: advance the 32-bit state *seed one step of a full-period linear
 * congruential generator (multiplier 747796405, increment 2891336453) and
 * return a scrambled form of the new state, 31 bits, so that the weak low
 * bits of the raw state never show.  Every seed, 0 included, is valid.
 * Returns a value in [0, RAND_MAX].
 */
int rand_r(unsigned int *seed)
{
	unsigned int x = *seed * 747796405u + 2891336453u;

	*seed = x;
	x ^= x >> 16;
	x *= 0x7feb352du;
	x ^= x >> 15;
	x *= 0x846ca68bu;
	x ^= x >> 16;
	return (int)(x >> 1);
}
