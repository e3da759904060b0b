/*
 * mach/ndr.h - the Network Data Representation label of MIG messages.
 *
 * MIG stubs put an NDR_record_t before the inline data of every message
 * they build, describing how the sender encodes integers, characters and
 * floating point.  Values are XNU's (osfmk/mach/ndr.h).  Both ends of
 * this system are little-endian i386, so stubs write NDR_record and never
 * convert; the record is still carried so the wire format is XNU's.
 *
 * NDR_record itself is defined once per program: by user/lib for user
 * tasks, by the kernel for the kernel, by the test for host tests, each
 * with NDR_RECORD_INITIALIZER.
 */
#ifndef _MACH_NDR_H_
#define _MACH_NDR_H_

typedef struct {
	unsigned char	mig_vers;	/* MIG version, 0 */
	unsigned char	if_vers;	/* interface version, 0 */
	unsigned char	reserved1;
	unsigned char	mig_encoding;	/* NDR_PROTOCOL_2_0 */
	unsigned char	int_rep;	/* NDR_INT_* */
	unsigned char	char_rep;	/* NDR_CHAR_* */
	unsigned char	float_rep;	/* NDR_FLOAT_* */
	unsigned char	reserved2;
} NDR_record_t;

_Static_assert(sizeof(NDR_record_t) == 8, "NDR record is 8 bytes");

#define NDR_PROTOCOL_2_0	0

#define NDR_INT_BIG_ENDIAN	0
#define NDR_INT_LITTLE_ENDIAN	1

#define NDR_FLOAT_IEEE		0
#define NDR_FLOAT_VAX		1
#define NDR_FLOAT_CRAY		2
#define NDR_FLOAT_IBM		3

#define NDR_CHAR_ASCII		0
#define NDR_CHAR_EBCDIC		1

/* The record of this (little-endian, ASCII, IEEE) machine. */
#define NDR_RECORD_INITIALIZER {					\
	0, 0, 0, NDR_PROTOCOL_2_0,					\
	NDR_INT_LITTLE_ENDIAN, NDR_CHAR_ASCII, NDR_FLOAT_IEEE, 0	\
}

extern NDR_record_t NDR_record;

#endif /* _MACH_NDR_H_ */
