package io.github.glidesocket.sample.resp;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RespGlob}. Expected results are those of Redis 7's {@code KEYS} for the same
 * pattern and key.
 */
class RespGlobTests {

	@ParameterizedTest(name = "''{0}'' matches ''{1}'': {2}")
	@CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
			*           | ""          | true
			*           | anything    | true
			""          | ""          | true
			""          | a           | false
			hello       | hello       | true
			hello       | hello!      | false
			h?llo       | hello       | true
			h?llo       | hllo        | false
			h*llo       | hllo        | true
			h*llo       | heeeello    | true
			h*llo       | hellO       | false
			*:*:*       | a:b:c       | true
			*:*:*       | a:b         | false
			user:*      | user:42     | true
			user:*      | users:42    | false
			**a**       | bab         | true
			a*b*c       | axxbyyc     | true
			a*b*c       | axxbyy      | false
			h[ae]llo    | hello       | true
			h[ae]llo    | hallo       | true
			h[ae]llo    | hillo       | false
			h[^e]llo    | hallo       | true
			h[^e]llo    | hello       | false
			h[a-c]llo   | hbllo       | true
			h[a-c]llo   | hdllo       | false
			h[c-a]llo   | hbllo       | true
			[0-9][0-9]  | 42          | true
			[0-9][0-9]  | 4x          | false
			[^0-9]*     | x42         | true
			[^0-9]*     | 4x          | false
			h\\*llo     | h*llo       | true
			h\\*llo     | hello       | false
			h\\?llo     | hello       | false
			\\[x]       | [x]         | true
			[\\]]       | ]           | true
			[\\-]       | -           | true
			[a\\-z]     | b           | false
			abc\\       | abc\\       | true
			[]          | a           | false
			[^]         | a           | true
			[abc        | b           | true
			[abc        | d           | false
			a[-z]       | a-          | true
			""", ignoreLeadingAndTrailingWhitespace = true)
	void matchesShouldFollowRedisGlobRules(String pattern, String key, boolean expected) {
		assertThat(RespGlob.matches(bytes(pattern), bytes(key)))
			.isEqualTo(expected);
	}

	@Test
	void matchesWhenKeyHasBytesAboveAsciiShouldCompareThemAsBytes() {
		byte[] key = { 'k', (byte) 0xE9, 0 };
		assertThat(RespGlob.matches(new byte[] { 'k', '?', '?' }, key)).isTrue();
		assertThat(RespGlob.matches(new byte[] { 'k', '[', (byte) 0xE0, '-', (byte) 0xEF, ']', '*' }, key)).isTrue();
		assertThat(RespGlob.matches(new byte[] { 'k', '[', 'a', '-', 'z', ']', '*' }, key)).isFalse();
	}

	@Test
	@Timeout(10)
	void matchesWhenPatternHasManyStarsShouldNotBacktrackExponentially() {
		byte[] key = bytes("a".repeat(10_000));
		assertThat(RespGlob.matches(bytes("*a".repeat(50) + "*b"), key)).isFalse();
		assertThat(RespGlob.matches(bytes("*a".repeat(50) + "*"), key)).isTrue();
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.ISO_8859_1);
	}

}
