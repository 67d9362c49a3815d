package io.github.glidesocket.sample.resp;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.glidesocket.sample.resp.RespStore.SetCondition;
import io.github.glidesocket.sample.resp.RespStore.Stats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link RespStore}.
 */
class RespStoreTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private final RespStore store = new RespStore(this.clock);

	private final ExecutorService executor = Executors.newFixedThreadPool(8);

	@AfterEach
	void stopExecutor() throws InterruptedException {
		this.executor.shutdownNow();
		assertThat(this.executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void getWhenKeyWasSetShouldReturnValue() {
		this.store.set(bytes("k"), bytes("v"));
		assertThat(this.store.get(bytes("k"))).isEqualTo(bytes("v"));
		assertThat(this.store.get(bytes("other"))).isNull();
	}

	@Test
	void getWhenKeysDifferOnlyInBinaryContentShouldKeepThemApart() {
		this.store.set(new byte[] { 0, 1 }, bytes("a"));
		this.store.set(new byte[] { 0, 2 }, bytes("b"));
		assertThat(this.store.get(new byte[] { 0, 1 })).isEqualTo(bytes("a"));
		assertThat(this.store.get(new byte[] { 0, 2 })).isEqualTo(bytes("b"));
	}

	@Test
	void getWhenExpiryTimeIsReachedShouldStillReturnValueUntilItPasses() {
		long now = this.store.currentTimeMillis();
		this.store.set(bytes("k"), bytes("v"), now + 100, SetCondition.ALWAYS);
		this.clock.advance(Duration.ofMillis(100));
		assertThat(this.store.get(bytes("k"))).isEqualTo(bytes("v"));
		this.clock.advance(Duration.ofMillis(1));
		assertThat(this.store.get(bytes("k"))).isNull();
		assertThat(this.store.exists(bytes("k"))).isZero();
	}

	@Test
	void setWhenKeyHadExpiryShouldReplaceIt() {
		long now = this.store.currentTimeMillis();
		this.store.set(bytes("k"), bytes("v"), now + 100, SetCondition.ALWAYS);
		this.store.set(bytes("k"), bytes("w"));
		this.clock.advance(Duration.ofDays(1));
		assertThat(this.store.get(bytes("k"))).isEqualTo(bytes("w"));
	}

	@Test
	void setWhenIfAbsentAndKeyExistsShouldNotSet() {
		this.store.set(bytes("k"), bytes("v"));
		assertThat(this.store.set(bytes("k"), bytes("w"), RespStore.NO_EXPIRY, SetCondition.IF_ABSENT)).isFalse();
		assertThat(this.store.get(bytes("k"))).isEqualTo(bytes("v"));
	}

	@Test
	void setWhenIfAbsentAndKeyHasExpiredShouldSet() {
		this.store.set(bytes("k"), bytes("v"), this.store.currentTimeMillis(), SetCondition.ALWAYS);
		this.clock.advance(Duration.ofMillis(1));
		assertThat(this.store.set(bytes("k"), bytes("w"), RespStore.NO_EXPIRY, SetCondition.IF_ABSENT)).isTrue();
		assertThat(this.store.get(bytes("k"))).isEqualTo(bytes("w"));
	}

	@Test
	void setWhenIfPresentAndKeyIsAbsentShouldNotSet() {
		assertThat(this.store.set(bytes("k"), bytes("v"), RespStore.NO_EXPIRY, SetCondition.IF_PRESENT)).isFalse();
		assertThat(this.store.get(bytes("k"))).isNull();
	}

	@Test
	void setWhenIfPresentAndKeyHasExpiredShouldNotSet() {
		this.store.set(bytes("k"), bytes("v"), this.store.currentTimeMillis(), SetCondition.ALWAYS);
		this.clock.advance(Duration.ofMillis(1));
		assertThat(this.store.set(bytes("k"), bytes("w"), RespStore.NO_EXPIRY, SetCondition.IF_PRESENT)).isFalse();
		assertThat(this.store.get(bytes("k"))).isNull();
	}

	@Test
	void setWhenIfPresentAndKeyExistsShouldSet() {
		this.store.set(bytes("k"), bytes("v"));
		assertThat(this.store.set(bytes("k"), bytes("w"), RespStore.NO_EXPIRY, SetCondition.IF_PRESENT)).isTrue();
		assertThat(this.store.get(bytes("k"))).isEqualTo(bytes("w"));
	}

	@Test
	void incrementWhenKeyIsAbsentShouldStartFromZero() {
		assertThat(this.store.increment(bytes("n"), 1)).isOne();
		assertThat(this.store.increment(bytes("m"), -1)).isEqualTo(-1);
		assertThat(this.store.get(bytes("n"))).isEqualTo(bytes("1"));
	}

	@Test
	void incrementWhenKeyHasExpiryShouldKeepIt() {
		long now = this.store.currentTimeMillis();
		this.store.set(bytes("n"), bytes("41"), now + 10, SetCondition.ALWAYS);
		assertThat(this.store.increment(bytes("n"), 1)).isEqualTo(42);
		this.clock.advance(Duration.ofMillis(11));
		assertThat(this.store.get(bytes("n"))).isNull();
		assertThat(this.store.increment(bytes("n"), 1)).isOne();
	}

	@Test
	void incrementWhenValueIsNotAnIntegerShouldFailAndKeepValue() {
		this.store.set(bytes("n"), bytes("12a"));
		assertThatExceptionOfType(NumberFormatException.class).isThrownBy(() -> this.store.increment(bytes("n"), 1));
		this.store.set(bytes("m"), bytes(" 1"));
		assertThatExceptionOfType(NumberFormatException.class).isThrownBy(() -> this.store.increment(bytes("m"), 1));
		assertThat(this.store.get(bytes("n"))).isEqualTo(bytes("12a"));
	}

	@Test
	void incrementWhenResultWouldOverflowShouldFailAndKeepValue() {
		this.store.set(bytes("max"), bytes(Long.toString(Long.MAX_VALUE)));
		assertThatExceptionOfType(ArithmeticException.class).isThrownBy(() -> this.store.increment(bytes("max"), 1));
		assertThat(this.store.get(bytes("max"))).isEqualTo(bytes("9223372036854775807"));
		this.store.set(bytes("min"), bytes(Long.toString(Long.MIN_VALUE)));
		assertThatExceptionOfType(ArithmeticException.class).isThrownBy(() -> this.store.increment(bytes("min"), -1));
		assertThat(this.store.increment(bytes("min"), 1)).isEqualTo(Long.MIN_VALUE + 1);
	}

	@Test
	void deleteShouldCountOnlyKeysThatExisted() {
		this.store.set(bytes("a"), bytes("1"));
		this.store.set(bytes("b"), bytes("2"));
		this.store.set(bytes("gone"), bytes("3"), this.store.currentTimeMillis(), SetCondition.ALWAYS);
		this.clock.advance(Duration.ofMillis(1));
		assertThat(this.store.delete(bytes("a"), bytes("b"), bytes("c"), bytes("a"), bytes("gone"))).isEqualTo(2);
		assertThat(this.store.size()).isZero();
	}

	@Test
	void existsWhenKeyIsRepeatedShouldCountItEachTime() {
		this.store.set(bytes("a"), bytes("1"));
		assertThat(this.store.exists(bytes("a"), bytes("a"), bytes("b"))).isEqualTo(2);
	}

	@Test
	void statsShouldCountLiveKeysAndThoseWithExpiry() {
		long now = this.store.currentTimeMillis();
		this.store.set(bytes("plain"), bytes("1"));
		this.store.set(bytes("expiring"), bytes("2"), now + 1000, SetCondition.ALWAYS);
		this.store.set(bytes("expired"), bytes("3"), now + 10, SetCondition.ALWAYS);
		this.clock.advance(Duration.ofMillis(11));
		assertThat(this.store.stats()).isEqualTo(new Stats(2, 1));
		assertThat(this.store.size()).isEqualTo(2);
	}

	@Test
	void clearShouldRemoveEveryKey() {
		this.store.set(bytes("a"), bytes("1"));
		this.store.clear();
		assertThat(this.store.size()).isZero();
		assertThat(this.store.get(bytes("a"))).isNull();
	}

	@Test
	void createWhenClockIsNullShouldFail() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RespStore(null))
			.withMessage("'clock' must not be null");
	}

	@Test
	@Timeout(30)
	void incrementWhenManyThreadsRaceShouldLoseNoUpdate() throws Exception {
		int threads = 8;
		int increments = 10_000;
		CountDownLatch start = new CountDownLatch(1);
		List<Future<?>> futures = new ArrayList<>();
		for (int i = 0; i < threads; i++) {
			futures.add(this.executor.submit(() -> {
				start.await();
				for (int j = 0; j < increments; j++) {
					this.store.increment(bytes("counter"), 1);
				}
				return null;
			}));
		}
		start.countDown();
		for (Future<?> future : futures) {
			future.get();
		}
		assertThat(this.store.get(bytes("counter"))).asString(StandardCharsets.US_ASCII)
			.isEqualTo(Integer.toString(threads * increments));
	}

	@Test
	@Timeout(60)
	void setWhenManyThreadsRaceIfAbsentShouldLetExactlyOneWin() throws Exception {
		for (int round = 0; round < 2_000; round++) {
			byte[] key = bytes("lock-" + round);
			CountDownLatch start = new CountDownLatch(1);
			AtomicInteger winners = new AtomicInteger();
			List<Future<?>> futures = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				byte[] value = bytes("owner-" + i);
				futures.add(this.executor.submit(() -> {
					start.await();
					if (this.store.set(key, value, RespStore.NO_EXPIRY, SetCondition.IF_ABSENT)) {
						winners.incrementAndGet();
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> future : futures) {
				future.get();
			}
			assertThat(winners).as("round %d", round).hasValue(1);
		}
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
