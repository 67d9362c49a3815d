package io.github.glidesocket.sample.resp;

/**
 * Matches keys against the glob patterns of {@code KEYS}, {@code SCAN MATCH} and
 * {@code CONFIG GET}, with Redis's rules, byte by byte:
 * <ul>
 * <li>{@code *} matches any run of bytes, the empty one too;</li>
 * <li>{@code ?} matches any one byte;</li>
 * <li>{@code [abc]} matches one of the bytes listed, {@code [a-z]} one in the range (either way
 * round), {@code [^...]} one not listed; {@code \} takes the next byte literally inside the
 * brackets too, and a set left open ends with the pattern;</li>
 * <li>{@code \x} matches {@code x}, whatever it is; a trailing {@code \} matches itself;</li>
 * <li>any other byte matches itself.</li>
 * </ul>
 * Every part other than {@code *} matches exactly one byte, so the match backtracks only to the
 * last {@code *}: it takes at most pattern length × key length steps, however many stars the
 * pattern has.
 */
final class RespGlob {

	private RespGlob() {
	}

	/**
	 * Whether a key matches a pattern as a whole.
	 * @param pattern the pattern
	 * @param key the key
	 * @return {@code true} if it matches
	 */
	static boolean matches(byte[] pattern, byte[] key) {
		int p = 0;
		int k = 0;
		int afterStar = -1;
		int starMatchedUpTo = 0;
		while (k < key.length) {
			if (p < pattern.length && pattern[p] == '*') {
				afterStar = ++p;
				starMatchedUpTo = k;
				continue;
			}
			int next = (p < pattern.length) ? matchOne(pattern, p, key[k]) : -1;
			if (next >= 0) {
				p = next;
				k++;
			}
			else if (afterStar >= 0) {
				// Let the last star take one more byte and try the rest again from there.
				p = afterStar;
				k = ++starMatchedUpTo;
			}
			else {
				return false;
			}
		}
		while (p < pattern.length && pattern[p] == '*') {
			p++;
		}
		return p == pattern.length;
	}

	/**
	 * Match one byte of the key against the part of the pattern at {@code p}, which is not a
	 * star.
	 * @return the index after that part, or -1 if the byte does not match it
	 */
	private static int matchOne(byte[] pattern, int p, byte actual) {
		switch (pattern[p]) {
			case '?':
				return p + 1;
			case '[':
				return matchSet(pattern, p + 1, actual & 0xFF);
			case '\\':
				if (p + 1 < pattern.length) {
					return (pattern[p + 1] == actual) ? p + 2 : -1;
				}
				return (actual == '\\') ? p + 1 : -1;
			default:
				return (pattern[p] == actual) ? p + 1 : -1;
		}
	}

	private static int matchSet(byte[] pattern, int start, int actual) {
		int i = start;
		boolean negated = i < pattern.length && pattern[i] == '^';
		if (negated) {
			i++;
		}
		boolean matched = false;
		while (i < pattern.length && pattern[i] != ']') {
			if (pattern[i] == '\\' && i + 1 < pattern.length) {
				matched |= (pattern[i + 1] & 0xFF) == actual;
				i += 2;
			}
			else if (i + 2 < pattern.length && pattern[i + 1] == '-') {
				int from = pattern[i] & 0xFF;
				int to = pattern[i + 2] & 0xFF;
				matched |= actual >= Math.min(from, to) && actual <= Math.max(from, to);
				i += 3;
			}
			else {
				matched |= (pattern[i] & 0xFF) == actual;
				i++;
			}
		}
		int end = (i < pattern.length) ? i + 1 : i;
		return (matched != negated) ? end : -1;
	}

}
