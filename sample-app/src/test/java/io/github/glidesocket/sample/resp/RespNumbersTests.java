package io.github.glidesocket.sample.resp;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link RespNumbers}.
 */
class RespNumbersTests {

	@ParameterizedTest
	@ValueSource(longs = { 0, 1, -1, 9, 10, -10, 1234567890, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1 })
	void parseLongWhenWrittenByWriteShouldRoundTrip(long value) {
		byte[] bytes = RespNumbers.toBytes(value);
		assertThat(bytes).asString(StandardCharsets.US_ASCII).isEqualTo(Long.toString(value));
		assertThat(RespNumbers.length(value)).isEqualTo(bytes.length);
		assertThat(RespNumbers.parseLong(bytes)).isEqualTo(value);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "-", "+1", "01", "-0", "-01", " 1", "1 ", "1a", "0x10", "9223372036854775808",
			"-9223372036854775809", "99999999999999999999", "123456789012345678901", "1.5" })
	void parseLongWhenNotStrictlyALongShouldFail(String text) {
		assertThatExceptionOfType(NumberFormatException.class)
			.isThrownBy(() -> RespNumbers.parseLong(text.getBytes(StandardCharsets.US_ASCII)));
	}

	@ParameterizedTest
	@CsvSource({ "3.0, 3", "-2.0, -2", "0.0, 0", "-0.0, -0", "1.5, 1.5", "0.1, 0.1", "-0.25, -0.25",
			"9007199254740991.0, 9007199254740991", "1.0E300, 1.0e300", "1.5E-7, 1.5e-7", "Infinity, inf",
			"-Infinity, -inf", "NaN, nan" })
	void toStringOfDoubleShouldWriteWholeNumbersWithoutFractionAndSpecialValuesLikeRedis(double value,
			String expected) {
		assertThat(RespNumbers.toString(value)).isEqualTo(expected);
		if (!Double.isNaN(value)) {
			assertThat(Double.parseDouble(expected.replace("inf", "Infinity"))).isEqualTo(value);
		}
	}

}
