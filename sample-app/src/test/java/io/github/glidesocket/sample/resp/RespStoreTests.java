package io.github.glidesocket.sample.resp;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.glidesocket.sample.resp.RespStore.ExpireCondition;
import io.github.glidesocket.sample.resp.RespStore.ScanResult;
import io.github.glidesocket.sample.resp.RespStore.SetCondition;
import io.github.glidesocket.sample.resp.RespStore.Stats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
	void getAndSetShouldReturnPreviousValueAndClearExpiry() {
		assertThat(this.store.getAndSet(bytes("k"), bytes("first"))).isNull();
		this.store.set(bytes("k"), bytes("second"), this.store.currentTimeMillis() + 10, SetCondition.ALWAYS);
		assertThat(this.store.getAndSet(bytes("k"), bytes("third"))).isEqualTo(bytes("second"));
		this.clock.advance(Duration.ofDays(1));
		assertThat(this.store.get(bytes("k"))).isEqualTo(bytes("third"));
		this.store.set(bytes("gone"), bytes("v"), this.store.currentTimeMillis(), SetCondition.ALWAYS);
		this.clock.advance(Duration.ofMillis(1));
		assertThat(this.store.getAndSet(bytes("gone"), bytes("w"))).isNull();
	}

	@Test
	void getAndDeleteShouldReturnValueAndRemoveKey() {
		this.store.set(bytes("k"), bytes("v"));
		assertThat(this.store.getAndDelete(bytes("k"))).isEqualTo(bytes("v"));
		assertThat(this.store.getAndDelete(bytes("k"))).isNull();
		assertThat(this.store.exists(bytes("k"))).isZero();
		this.store.set(bytes("gone"), bytes("v"), this.store.currentTimeMillis(), SetCondition.ALWAYS);
		this.clock.advance(Duration.ofMillis(1));
		assertThat(this.store.getAndDelete(bytes("gone"))).isNull();
	}

	@Test
	void appendShouldCreateOrExtendValueAndKeepExpiry() {
		assertThat(this.store.append(bytes("k"), bytes("Hello"), 100)).isEqualTo(5);
		this.store.expire(bytes("k"), this.store.currentTimeMillis() + 1000, ExpireCondition.ALWAYS);
		assertThat(this.store.append(bytes("k"), bytes(" World"), 100)).isEqualTo(11);
		assertThat(this.store.get(bytes("k"))).isEqualTo(bytes("Hello World"));
		assertThat(this.store.length(bytes("k"))).isEqualTo(11);
		assertThat(this.store.timeToLive(bytes("k"))).isEqualTo(1000);
	}

	@Test
	void appendWhenValueWouldExceedMaxLengthShouldFailAndKeepValue() {
		this.store.set(bytes("k"), bytes("1234"));
		assertThat(this.store.append(bytes("k"), bytes("56"), 5)).isEqualTo(-1);
		assertThat(this.store.get(bytes("k"))).isEqualTo(bytes("1234"));
		assertThat(this.store.append(bytes("k"), bytes("5"), 5)).isEqualTo(5);
		assertThat(this.store.append(bytes("new"), bytes("123456"), 5)).isEqualTo(-1);
		assertThat(this.store.exists(bytes("new"))).isZero();
	}

	@Test
	void lengthWhenKeyIsAbsentShouldBeZero() {
		assertThat(this.store.length(bytes("k"))).isZero();
	}

	@Test
	void timeToLiveShouldTellAbsentKeysKeysWithoutExpiryAndTimeLeft() {
		long now = this.store.currentTimeMillis();
		this.store.set(bytes("plain"), bytes("v"));
		this.store.set(bytes("expiring"), bytes("v"), now + 1500, SetCondition.ALWAYS);
		assertThat(this.store.timeToLive(bytes("absent"))).isEqualTo(-2);
		assertThat(this.store.timeToLive(bytes("plain"))).isEqualTo(-1);
		assertThat(this.store.timeToLive(bytes("expiring"))).isEqualTo(1500);
		this.clock.advance(Duration.ofMillis(1500));
		assertThat(this.store.timeToLive(bytes("expiring"))).isZero();
		this.clock.advance(Duration.ofMillis(1));
		assertThat(this.store.timeToLive(bytes("expiring"))).isEqualTo(-2);
	}

	@Test
	void expireShouldSetExpiryOfExistingKeyOnly() {
		long now = this.store.currentTimeMillis();
		this.store.set(bytes("k"), bytes("v"));
		assertThat(this.store.expire(bytes("k"), now + 100, ExpireCondition.ALWAYS)).isTrue();
		assertThat(this.store.expire(bytes("absent"), now + 100, ExpireCondition.ALWAYS)).isFalse();
		assertThat(this.store.exists(bytes("absent"))).isZero();
		this.clock.advance(Duration.ofMillis(101));
		assertThat(this.store.get(bytes("k"))).isNull();
	}

	@Test
	void expireWhenTimeIsNotInTheFutureShouldRemoveKey() {
		this.store.set(bytes("k"), bytes("v"));
		assertThat(this.store.expire(bytes("k"), this.store.currentTimeMillis(), ExpireCondition.ALWAYS)).isTrue();
		assertThat(this.store.exists(bytes("k"))).isZero();
		assertThat(this.store.storedEntries()).isZero();
		this.store.set(bytes("k"), bytes("v"));
		assertThat(this.store.expire(bytes("k"), -5000, ExpireCondition.ALWAYS)).isTrue();
		assertThat(this.store.exists(bytes("k"))).isZero();
	}

	@ParameterizedTest(name = "{0} on a key expiring {1}, to {2}: {3}")
	@CsvSource({ "IF_NO_EXPIRY, never, 100, true", "IF_NO_EXPIRY, 50, 100, false", "IF_EXPIRY, never, 100, false",
			"IF_EXPIRY, 50, 100, true", "IF_LATER, never, 100, false", "IF_LATER, 50, 100, true",
			"IF_LATER, 100, 100, false", "IF_LATER, 150, 100, false", "IF_EARLIER, never, 100, true",
			"IF_EARLIER, 150, 100, true", "IF_EARLIER, 100, 100, false", "IF_EARLIER, 50, 100, false",
			"IF_EXPIRY_AND_EARLIER, never, 100, false", "IF_EXPIRY_AND_EARLIER, 150, 100, true",
			"IF_EXPIRY_AND_EARLIER, 50, 100, false", "ALWAYS, 50, 100, true", "ALWAYS, never, 100, true" })
	void expireShouldChangeExpiryOnlyWhenConditionHolds(ExpireCondition condition, String current, long requested,
			boolean expected) {
		long now = this.store.currentTimeMillis();
		long currentExpiry = current.equals("never") ? RespStore.NO_EXPIRY : now + Long.parseLong(current);
		this.store.set(bytes("k"), bytes("v"), currentExpiry, SetCondition.ALWAYS);
		assertThat(this.store.expire(bytes("k"), now + requested, condition)).isEqualTo(expected);
		long unchangedTimeToLive = (currentExpiry != RespStore.NO_EXPIRY) ? currentExpiry - now : -1;
		long expectedTimeToLive = expected ? requested : unchangedTimeToLive;
		assertThat(this.store.timeToLive(bytes("k"))).isEqualTo(expectedTimeToLive);
	}

	@Test
	void persistShouldRemoveExpiryOfKeyThatHasOne() {
		this.store.set(bytes("k"), bytes("v"), this.store.currentTimeMillis() + 10, SetCondition.ALWAYS);
		assertThat(this.store.persist(bytes("k"))).isTrue();
		assertThat(this.store.persist(bytes("k"))).isFalse();
		assertThat(this.store.persist(bytes("absent"))).isFalse();
		this.clock.advance(Duration.ofDays(1));
		assertThat(this.store.get(bytes("k"))).isEqualTo(bytes("v"));
	}

	@Test
	void keysShouldReturnLiveKeysMatchingPattern() {
		this.store.set(bytes("user:1"), bytes("a"));
		this.store.set(bytes("user:2"), bytes("b"));
		this.store.set(bytes("order:1"), bytes("c"));
		this.store.set(bytes("user:gone"), bytes("d"), this.store.currentTimeMillis(), SetCondition.ALWAYS);
		this.clock.advance(Duration.ofMillis(1));
		assertThat(this.store.keys(bytes("user:*"))).map(RespStoreTests::text)
			.containsExactlyInAnyOrder("user:1", "user:2");
		assertThat(this.store.keys(bytes("*"))).hasSize(3);
		assertThat(this.store.keys(bytes("nothing*"))).isEmpty();
		assertThat(this.store.storedEntries()).isEqualTo(3);
	}

	@Test
	void scanWhenCalledUntilCursorIsZeroShouldReturnEveryKeyOnceInSeveralSteps() {
		Set<String> expected = new HashSet<>();
		for (int i = 0; i < 5000; i++) {
			this.store.set(bytes("key:" + i), bytes("v"));
			expected.add("key:" + i);
		}
		List<String> returned = new ArrayList<>();
		int steps = 0;
		long cursor = 0;
		do {
			ScanResult result = this.store.scan(cursor, null, 10);
			result.keys().forEach((key) -> returned.add(text(key)));
			cursor = result.cursor();
			steps++;
		}
		while (cursor != 0);
		assertThat(returned).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
		assertThat(steps).isGreaterThan(100).isLessThanOrEqualTo(RespStore.SHARDS);
	}

	@Test
	void scanWhenKeysChangeDuringIterationShouldStillReturnEveryKeyPresentThroughout() {
		for (int i = 0; i < 2000; i++) {
			this.store.set(bytes("stable:" + i), bytes("v"));
			this.store.set(bytes("removed:" + i), bytes("v"));
		}
		Set<String> returned = new HashSet<>();
		long cursor = 0;
		int step = 0;
		do {
			ScanResult result = this.store.scan(cursor, bytes("stable:*"), 20);
			result.keys().forEach((key) -> returned.add(text(key)));
			cursor = result.cursor();
			this.store.set(bytes("added:" + step), bytes("v"));
			this.store.delete(bytes("removed:" + step++));
		}
		while (cursor != 0);
		assertThat(returned).hasSize(2000).allMatch((key) -> key.startsWith("stable:"));
	}

	@Test
	void scanWhenCountIsLargeShouldReturnEveryMatchingKeyInOneStep() {
		this.store.set(bytes("a:1"), bytes("v"));
		this.store.set(bytes("a:2"), bytes("v"));
		this.store.set(bytes("b:1"), bytes("v"));
		ScanResult result = this.store.scan(0, bytes("a:*"), 1000);
		assertThat(result.cursor()).isZero();
		assertThat(result.keys()).map(RespStoreTests::text).containsExactlyInAnyOrder("a:1", "a:2");
	}

	@Test
	void scanWhenStoreIsEmptyOrCursorUnknownShouldEndAtOnce() {
		assertThat(this.store.scan(0, null, 10)).isEqualTo(new ScanResult(0, List.of()));
		this.store.set(bytes("k"), bytes("v"));
		assertThat(this.store.scan(RespStore.SHARDS, null, 10)).isEqualTo(new ScanResult(0, List.of()));
		assertThat(this.store.scan(-1, null, 10)).isEqualTo(new ScanResult(0, List.of()));
	}

	@Test
	void expiredKeysThatAreNeverReadShouldBeSweptByLaterExpiringWrites() {
		long now = this.store.currentTimeMillis();
		for (int i = 0; i < 10_000; i++) {
			this.store.set(bytes("session:" + i), bytes("v"), now + 10, SetCondition.ALWAYS);
		}
		this.store.set(bytes("plain"), bytes("v"));
		this.clock.advance(Duration.ofMillis(11));
		assertThat(this.store.storedEntries()).isEqualTo(10_001);
		// The countdown left, then the minimum interval per map, as no map keeps more than two
		// keys: twice that many writes sweep every map.
		int writes = 2 * RespStore.MIN_SWEEP_INTERVAL * RespStore.SHARDS;
		for (int i = 0; i < writes; i++) {
			this.store.set(bytes("refreshed"), bytes("v"), now + 60_000, SetCondition.ALWAYS);
		}
		assertThat(this.store.storedEntries()).isEqualTo(2);
	}

	@Test
	void expiringWritesWhenNothingHasExpiredShouldKeepEveryKey() {
		long now = this.store.currentTimeMillis();
		for (int i = 0; i < 100_000; i++) {
			this.store.set(bytes("key:" + i), bytes("v"), now + 60_000, SetCondition.ALWAYS);
		}
		assertThat(this.store.storedEntries()).isEqualTo(100_000);
		assertThat(this.store.size()).isEqualTo(100_000);
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

	@Test
	@Timeout(30)
	void appendWhenManyThreadsRaceShouldLoseNoByte() throws Exception {
		int threads = 8;
		int appends = 2_000;
		CountDownLatch start = new CountDownLatch(1);
		List<Future<?>> futures = new ArrayList<>();
		for (int i = 0; i < threads; i++) {
			byte[] suffix = bytes(Integer.toString(i));
			futures.add(this.executor.submit(() -> {
				start.await();
				for (int j = 0; j < appends; j++) {
					this.store.append(bytes("log"), suffix, Long.MAX_VALUE);
				}
				return null;
			}));
		}
		start.countDown();
		for (Future<?> future : futures) {
			future.get();
		}
		String log = text(this.store.get(bytes("log")));
		assertThat(log).hasSize(threads * appends);
		for (int i = 0; i < threads; i++) {
			String digit = Integer.toString(i);
			assertThat(log.chars().filter((c) -> c == digit.charAt(0)).count()).as(digit).isEqualTo(appends);
		}
	}

	private static String text(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
