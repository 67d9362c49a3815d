package io.github.glidesocket.sample.resp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link RespLimits}.
 */
class RespLimitsTests {

	@Test
	void defaultsShouldMatchDocumentedValues() {
		RespLimits limits = RespLimits.defaults();
		assertThat(limits.maxBulkLength()).isEqualTo(64 * 1024 * 1024);
		assertThat(limits.maxMultibulkLength()).isEqualTo(1_048_576);
		assertThat(limits.maxInlineLength()).isEqualTo(64 * 1024);
		assertThat(limits.maxBufferedRequestBytes()).isEqualTo(Runtime.getRuntime().maxMemory() / 4);
	}

	@Test
	void createWhenBufferedRequestBytesAreMinusOneShouldSetNoLimit() {
		assertThat(new RespLimits(1, 1, 1, -1).maxBufferedRequestBytes()).isEqualTo(-1);
		assertThat(new RespLimits(1, 1, 1).maxBufferedRequestBytes())
			.isEqualTo(RespLimits.defaultMaxBufferedRequestBytes());
	}

	@Test
	void createWhenBulkLengthIsZeroShouldAllowOnlyEmptyArguments() {
		assertThat(new RespLimits(0, 1, 1).maxBulkLength()).isZero();
	}

	@Test
	void createWhenLimitIsOutOfRangeShouldFailNamingIt() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RespLimits(-1, 1, 1))
			.withMessage("'maxBulkLength' must be between 0 and " + RespLimits.MAX_LIMIT + ", was -1");
		assertThatIllegalArgumentException().isThrownBy(() -> new RespLimits(1, 0, 1))
			.withMessageStartingWith("'maxMultibulkLength' must be between 1 and ");
		assertThatIllegalArgumentException().isThrownBy(() -> new RespLimits(1, 1, Integer.MAX_VALUE))
			.withMessageStartingWith("'maxInlineLength' must be between 1 and ");
		assertThatIllegalArgumentException().isThrownBy(() -> new RespLimits(1, 1, 1, 0))
			.withMessage("'maxBufferedRequestBytes' must be positive, or -1 for no limit, was 0");
	}

}
