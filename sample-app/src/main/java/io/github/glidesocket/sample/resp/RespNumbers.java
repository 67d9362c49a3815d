package io.github.glidesocket.sample.resp;

import java.nio.charset.StandardCharsets;

/**
 * Reads and writes the decimal integers of the protocol with Redis's strictness: no sign other
 * than a leading {@code -}, no leading zeros, no spaces, nothing outside the range of a
 * {@code long}.
 */
final class RespNumbers {

	private static final byte[] MIN_VALUE = Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);

	/** Whole doubles below this magnitude are exact in a {@code long}: 2^53. */
	private static final double MAX_EXACT_WHOLE_DOUBLE = 9007199254740992.0;

	private RespNumbers() {
	}

	static long parseLong(byte[] bytes) {
		return parseLong(bytes, 0, bytes.length);
	}

	/**
	 * Parse the decimal integer in {@code bytes[from, to)}.
	 * @param bytes the bytes
	 * @param from the first byte of the number
	 * @param to the end of the number, exclusive
	 * @return the number
	 * @throws NumberFormatException if the bytes are not exactly an integer in the range of a
	 * {@code long}
	 */
	static long parseLong(byte[] bytes, int from, int to) {
		int length = to - from;
		if (length <= 0 || length > 20) {
			throw notALong(bytes, from, to);
		}
		if (length == 1 && bytes[from] == '0') {
			return 0;
		}
		int position = from;
		boolean negative = bytes[position] == '-';
		if (negative) {
			position++;
		}
		if (position == to || bytes[position] < '1' || bytes[position] > '9') {
			throw notALong(bytes, from, to);
		}
		// Accumulate negatively so that Long.MIN_VALUE is reachable.
		long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
		long multiplyLimit = limit / 10;
		long result = 0;
		for (; position < to; position++) {
			int digit = bytes[position] - '0';
			if (digit < 0 || digit > 9 || result < multiplyLimit) {
				throw notALong(bytes, from, to);
			}
			result *= 10;
			if (result < limit + digit) {
				throw notALong(bytes, from, to);
			}
			result -= digit;
		}
		return negative ? result : -result;
	}

	static byte[] toBytes(long value) {
		byte[] bytes = new byte[length(value)];
		write(value, bytes, 0);
		return bytes;
	}

	/**
	 * The number of bytes {@link #write} uses for a value.
	 * @param value the value
	 * @return its length in decimal, with the sign
	 */
	static int length(long value) {
		if (value == Long.MIN_VALUE) {
			return MIN_VALUE.length;
		}
		int length = 1;
		if (value < 0) {
			length++;
			value = -value;
		}
		while (value >= 10) {
			value /= 10;
			length++;
		}
		return length;
	}

	/**
	 * Write a value in decimal.
	 * @param value the value
	 * @param target where to write it, with room for {@link #length(long)} bytes
	 * @param offset where the first byte goes
	 * @return the offset after the last byte written
	 */
	static int write(long value, byte[] target, int offset) {
		if (value == Long.MIN_VALUE) {
			System.arraycopy(MIN_VALUE, 0, target, offset, MIN_VALUE.length);
			return offset + MIN_VALUE.length;
		}
		int end = offset + length(value);
		if (value < 0) {
			target[offset] = '-';
			value = -value;
		}
		int position = end;
		do {
			target[--position] = (byte) ('0' + (value % 10));
			value /= 10;
		}
		while (value != 0);
		return end;
	}

	/**
	 * A double as a client reads it back: whole numbers up to 2^53 without a decimal point, as
	 * Redis writes them, others in Java's round-trip form with a lower-case exponent
	 * ({@code 0.1}, {@code 1.0e300}), and {@code inf}, {@code -inf} and {@code nan}.
	 * @param value the value
	 * @return its text
	 */
	static String toString(double value) {
		if (Double.isNaN(value)) {
			return "nan";
		}
		if (Double.isInfinite(value)) {
			return (value > 0) ? "inf" : "-inf";
		}
		if (value == Math.rint(value) && Math.abs(value) < MAX_EXACT_WHOLE_DOUBLE) {
			String whole = Long.toString((long) value);
			// Math.rint keeps the sign of -0.0, which the long cast drops.
			return (value == 0 && 1 / value < 0) ? "-" + whole : whole;
		}
		return Double.toString(value).replace('E', 'e');
	}

	private static NumberFormatException notALong(byte[] bytes, int from, int to) {
		String text = new String(bytes, from, Math.max(0, Math.min(to - from, 64)), StandardCharsets.ISO_8859_1);
		return new NumberFormatException("Not an integer: '" + text + "'");
	}

}
