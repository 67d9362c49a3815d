package io.github.glidesocket.sample.resp;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;

/**
 * The keys and values that every connection of a {@link RespConnectionHandler} shares: binary
 * keys, binary values and an optional expiry time per key.
 * <p>
 * Thread-safe without locks. Each operation on one key is atomic: conditional sets, increments,
 * appends and expiry changes are compare-and-set loops on a {@link ConcurrentHashMap}, so two
 * connections incrementing the same key never lose an update and of two {@code SET NX} on the
 * same key exactly one wins. Operations on several keys ({@link #delete}, {@link #exists},
 * {@code MSET}) are atomic per key, not as a whole.
 * <p>
 * The keys are spread by hash over {@value #SHARDS} maps. {@link #scan} walks them one map after
 * the other, and its cursor is the next map to visit, so a scan that runs while keys change still
 * returns every key that exists from its start to its end, each once; a key added or removed
 * meanwhile may or may not be returned.
 * <p>
 * An expired key is invisible to every read and removed when an operation finds it. Keys that
 * expire and are never read again are swept: every write that gives a key an expiry time counts
 * down, and at zero the next map in turn is swept and the count starts again from the number of
 * keys that map kept (at least {@value #MIN_SWEEP_INTERVAL}). A pass over every map thus takes
 * about as many expiring writes as the store holds keys, so expired keys never outnumber, by
 * much, the live ones, and no thread of its own is needed. {@link #size()}, {@link #stats()} and
 * {@link #keys} also remove the expired keys they meet; their cost grows with the number of keys.
 * <p>
 * The store keeps the arrays it is given rather than copying them; callers must not change a
 * key or value array after handing it over, nor change one they get back.
 */
public final class RespStore {

	/**
	 * The expiry time of a key that never expires.
	 */
	public static final long NO_EXPIRY = Long.MAX_VALUE;

	/**
	 * The number of maps the keys are spread over, and so the number of steps of a full
	 * {@link #scan}.
	 */
	static final int SHARDS = 1024;

	/**
	 * The fewest expiring writes between two sweeps of a map.
	 */
	static final int MIN_SWEEP_INTERVAL = 64;

	private static final int SHARD_SHIFT = Integer.SIZE - Integer.numberOfTrailingZeros(SHARDS);

	private final ConcurrentHashMap<Key, Entry>[] shards;

	private final Clock clock;

	private final AtomicInteger expiringWritesUntilSweep = new AtomicInteger(MIN_SWEEP_INTERVAL);

	private final AtomicInteger nextShardToSweep = new AtomicInteger();

	/**
	 * Create an empty store on the system clock.
	 */
	public RespStore() {
		this(Clock.systemUTC());
	}

	/**
	 * Create an empty store.
	 * @param clock the clock that decides when keys expire
	 */
	@SuppressWarnings("unchecked")
	public RespStore(Clock clock) {
		if (clock == null) {
			throw new IllegalArgumentException("'clock' must not be null");
		}
		this.clock = clock;
		this.shards = new ConcurrentHashMap[SHARDS];
		for (int i = 0; i < SHARDS; i++) {
			this.shards[i] = new ConcurrentHashMap<>();
		}
	}

	/**
	 * The time on the store's clock, the reference for expiry times.
	 * @return the current time in milliseconds since the epoch
	 */
	public long currentTimeMillis() {
		return this.clock.millis();
	}

	/**
	 * The value of a key.
	 * @param key the key
	 * @return the value, or {@code null} if the key is absent or has expired
	 */
	public byte @Nullable [] get(byte[] key) {
		Key wrapped = new Key(key);
		Entry entry = live(wrapped, currentTimeMillis());
		return (entry != null) ? entry.value : null;
	}

	/**
	 * Set a key to a value that never expires, replacing any value and expiry it had.
	 * @param key the key
	 * @param value the value
	 */
	public void set(byte[] key, byte[] value) {
		set(key, value, NO_EXPIRY, SetCondition.ALWAYS);
	}

	/**
	 * Set a key to a value if a condition holds, replacing any value and expiry it had.
	 * @param key the key
	 * @param value the value
	 * @param expiresAtMillis when the key expires, in milliseconds since the epoch on
	 * {@link #currentTimeMillis() the store's clock}; it is readable up to and including that
	 * millisecond. Use {@link #NO_EXPIRY} for a key that never expires
	 * @param condition when to set the key
	 * @return {@code true} if the key was set, {@code false} if the condition did not hold
	 */
	public boolean set(byte[] key, byte[] value, long expiresAtMillis, SetCondition condition) {
		Key wrapped = new Key(key);
		Entry entry = new Entry(value, expiresAtMillis);
		boolean set = switch (condition) {
			case ALWAYS -> {
				shard(wrapped).put(wrapped, entry);
				yield true;
			}
			case IF_ABSENT -> setIfAbsent(wrapped, entry);
			case IF_PRESENT -> setIfPresent(wrapped, entry);
		};
		if (set && expiresAtMillis != NO_EXPIRY) {
			countExpiringWrite();
		}
		return set;
	}

	/**
	 * Set a key to a value that never expires and return the value it had ({@code GETSET}).
	 * @param key the key
	 * @param value the new value
	 * @return the previous value, or {@code null} if the key was absent or had expired
	 */
	public byte @Nullable [] getAndSet(byte[] key, byte[] value) {
		Key wrapped = new Key(key);
		Entry previous = shard(wrapped).put(wrapped, new Entry(value, NO_EXPIRY));
		return (previous != null && !previous.isExpired(currentTimeMillis())) ? previous.value : null;
	}

	/**
	 * Remove a key and return its value ({@code GETDEL}).
	 * @param key the key
	 * @return the value, or {@code null} if the key was absent or had expired
	 */
	public byte @Nullable [] getAndDelete(byte[] key) {
		Key wrapped = new Key(key);
		Entry previous = shard(wrapped).remove(wrapped);
		return (previous != null && !previous.isExpired(currentTimeMillis())) ? previous.value : null;
	}

	/**
	 * Add to the integer value of a key, starting from 0 if the key is absent or has expired. A
	 * key that had an expiry time keeps it.
	 * @param key the key
	 * @param delta what to add; negative to subtract
	 * @return the new value
	 * @throws NumberFormatException if the value is not a decimal integer in the range of a
	 * {@code long}, written without sign other than {@code -}, leading zeros or spaces
	 * @throws ArithmeticException if the result would overflow a {@code long}
	 */
	public long increment(byte[] key, long delta) {
		Key wrapped = new Key(key);
		ConcurrentHashMap<Key, Entry> shard = shard(wrapped);
		while (true) {
			Entry current = live(wrapped, currentTimeMillis());
			long value = (current != null) ? RespNumbers.parseLong(current.value) : 0;
			long result = Math.addExact(value, delta);
			if (current == null) {
				if (shard.putIfAbsent(wrapped, new Entry(RespNumbers.toBytes(result), NO_EXPIRY)) == null) {
					return result;
				}
			}
			else if (shard.replace(wrapped, current, new Entry(RespNumbers.toBytes(result), current.expiresAtMillis))) {
				return result;
			}
		}
	}

	/**
	 * Append bytes to the value of a key, which starts empty if the key is absent or has
	 * expired. A key that had an expiry time keeps it. The value is copied each time, so one
	 * append costs time and memory in proportion to the whole value, which {@code maxLength}
	 * bounds.
	 * @param key the key
	 * @param suffix the bytes to append
	 * @param maxLength the longest value allowed
	 * @return the length of the new value, or -1 if it would be longer than {@code maxLength};
	 * the value is then unchanged
	 */
	public long append(byte[] key, byte[] suffix, long maxLength) {
		Key wrapped = new Key(key);
		ConcurrentHashMap<Key, Entry> shard = shard(wrapped);
		while (true) {
			Entry current = live(wrapped, currentTimeMillis());
			byte[] value = (current != null) ? current.value : new byte[0];
			if ((long) value.length + suffix.length > maxLength) {
				return -1;
			}
			byte[] appended = Arrays.copyOf(value, value.length + suffix.length);
			System.arraycopy(suffix, 0, appended, value.length, suffix.length);
			if (current == null) {
				if (shard.putIfAbsent(wrapped, new Entry(appended, NO_EXPIRY)) == null) {
					return appended.length;
				}
			}
			else if (shard.replace(wrapped, current, new Entry(appended, current.expiresAtMillis))) {
				return appended.length;
			}
		}
	}

	/**
	 * The length of the value of a key ({@code STRLEN}).
	 * @param key the key
	 * @return the length in bytes, 0 if the key is absent or has expired
	 */
	public int length(byte[] key) {
		byte[] value = get(key);
		return (value != null) ? value.length : 0;
	}

	/**
	 * Remove keys.
	 * @param keys the keys
	 * @return how many of the keys existed and had not expired
	 */
	public int delete(byte[]... keys) {
		long now = currentTimeMillis();
		int removed = 0;
		for (byte[] key : keys) {
			Key wrapped = new Key(key);
			Entry entry = shard(wrapped).remove(wrapped);
			if (entry != null && !entry.isExpired(now)) {
				removed++;
			}
		}
		return removed;
	}

	/**
	 * Count the keys that exist. A key given twice is counted twice.
	 * @param keys the keys
	 * @return how many of the keys exist and have not expired
	 */
	public int exists(byte[]... keys) {
		long now = currentTimeMillis();
		int found = 0;
		for (byte[] key : keys) {
			if (live(new Key(key), now) != null) {
				found++;
			}
		}
		return found;
	}

	/**
	 * Change when a key expires, if a condition on its current expiry time holds. An expiry time
	 * that has already passed removes the key.
	 * @param key the key
	 * @param expiresAtMillis when the key expires, in milliseconds since the epoch on
	 * {@link #currentTimeMillis() the store's clock}
	 * @param condition when to change it
	 * @return {@code true} if the key exists and the condition held, so that the key now expires
	 * then or has been removed; {@code false} otherwise
	 */
	public boolean expire(byte[] key, long expiresAtMillis, ExpireCondition condition) {
		Key wrapped = new Key(key);
		ConcurrentHashMap<Key, Entry> shard = shard(wrapped);
		while (true) {
			long now = currentTimeMillis();
			Entry current = live(wrapped, now);
			if (current == null || !condition.allows(current.expiresAtMillis, expiresAtMillis)) {
				return false;
			}
			// Redis removes a key whose new expiry time is not in the future.
			if (expiresAtMillis <= now) {
				if (shard.remove(wrapped, current)) {
					return true;
				}
			}
			else if (shard.replace(wrapped, current, new Entry(current.value, expiresAtMillis))) {
				countExpiringWrite();
				return true;
			}
		}
	}

	/**
	 * Make a key never expire ({@code PERSIST}).
	 * @param key the key
	 * @return {@code true} if the key exists and had an expiry time
	 */
	public boolean persist(byte[] key) {
		Key wrapped = new Key(key);
		ConcurrentHashMap<Key, Entry> shard = shard(wrapped);
		while (true) {
			Entry current = live(wrapped, currentTimeMillis());
			if (current == null || current.expiresAtMillis == NO_EXPIRY) {
				return false;
			}
			if (shard.replace(wrapped, current, new Entry(current.value, NO_EXPIRY))) {
				return true;
			}
		}
	}

	/**
	 * How long a key has left to live, as {@code PTTL} reports it.
	 * @param key the key
	 * @return the milliseconds until it expires, -1 if it has no expiry time, -2 if it is
	 * absent or has expired
	 */
	public long timeToLive(byte[] key) {
		long now = currentTimeMillis();
		Entry entry = live(new Key(key), now);
		if (entry == null) {
			return -2;
		}
		return (entry.expiresAtMillis != NO_EXPIRY) ? entry.expiresAtMillis - now : -1;
	}

	/**
	 * The keys that match a glob pattern ({@code KEYS}). Visits every key.
	 * @param pattern the pattern, see {@link RespGlob}
	 * @return the matching keys, in no particular order
	 */
	public List<byte[]> keys(byte[] pattern) {
		long now = currentTimeMillis();
		List<byte[]> keys = new ArrayList<>();
		for (ConcurrentHashMap<Key, Entry> shard : this.shards) {
			collect(shard, pattern, now, keys);
		}
		return keys;
	}

	/**
	 * One step of an iteration over the keys ({@code SCAN}): the keys of whole maps, from the
	 * one the cursor names, until at least {@code count} keys have been looked at or every map
	 * has been visited.
	 * @param cursor 0 to start, then the cursor of the previous step; a number the store never
	 * returned ends the iteration at once
	 * @param pattern the pattern the keys returned must match, or {@code null} for every key
	 * @param count how many keys to look at, at least; a hint, as in Redis
	 * @return the keys of this step, in no particular order, and the cursor of the next step,
	 * 0 once the iteration is complete
	 */
	public ScanResult scan(long cursor, byte @Nullable [] pattern, long count) {
		if (cursor < 0 || cursor >= SHARDS) {
			return new ScanResult(0, List.of());
		}
		long now = currentTimeMillis();
		List<byte[]> keys = new ArrayList<>();
		long examined = 0;
		int shard = (int) cursor;
		while (shard < SHARDS && examined < count) {
			examined += collect(this.shards[shard++], pattern, now, keys);
		}
		return new ScanResult((shard < SHARDS) ? shard : 0, keys);
	}

	/**
	 * The number of keys, after removing those that have expired.
	 * @return the number of keys
	 */
	public long size() {
		return stats().keys();
	}

	/**
	 * The number of keys and of those with an expiry time, after removing those that have
	 * expired.
	 * @return the key counts
	 */
	public Stats stats() {
		long now = currentTimeMillis();
		long keys = 0;
		long[] expiring = { 0 };
		for (ConcurrentHashMap<Key, Entry> shard : this.shards) {
			keys += forEachLive(shard, now, (key, entry) -> {
				if (entry.expiresAtMillis != NO_EXPIRY) {
					expiring[0]++;
				}
			});
		}
		return new Stats(keys, expiring[0]);
	}

	/**
	 * Remove every key.
	 */
	public void clear() {
		for (ConcurrentHashMap<Key, Entry> shard : this.shards) {
			shard.clear();
		}
	}

	/**
	 * The entries held, expired ones included, for tests.
	 * @return the number of entries in the maps
	 */
	long storedEntries() {
		long entries = 0;
		for (ConcurrentHashMap<Key, Entry> shard : this.shards) {
			entries += shard.mappingCount();
		}
		return entries;
	}

	private ConcurrentHashMap<Key, Entry> shard(Key key) {
		// Fibonacci hashing: the top bits of the product mix every bit of the hash.
		return this.shards[(key.hash * 0x9E3779B9) >>> SHARD_SHIFT];
	}

	/**
	 * Add the live keys of a map that match a pattern.
	 * @return the number of live keys looked at
	 */
	private static int collect(ConcurrentHashMap<Key, Entry> shard, byte @Nullable [] pattern, long now,
			List<byte[]> keys) {
		return forEachLive(shard, now, (key, entry) -> {
			if (pattern == null || RespGlob.matches(pattern, key.bytes)) {
				keys.add(key.bytes);
			}
		});
	}

	/**
	 * Run an action on each live entry of a map, removing the expired ones met on the way.
	 * @return the number of live entries
	 */
	private static int forEachLive(ConcurrentHashMap<Key, Entry> shard, long now, BiConsumer<Key, Entry> action) {
		int live = 0;
		for (Map.Entry<Key, Entry> mapping : shard.entrySet()) {
			Entry entry = mapping.getValue();
			if (entry.isExpired(now)) {
				shard.remove(mapping.getKey(), entry);
			}
			else {
				live++;
				action.accept(mapping.getKey(), entry);
			}
		}
		return live;
	}

	private void countExpiringWrite() {
		if (this.expiringWritesUntilSweep.decrementAndGet() > 0) {
			return;
		}
		// Two threads may both reach zero and sweep a map each: harmless.
		ConcurrentHashMap<Key, Entry> shard = this.shards[this.nextShardToSweep.getAndIncrement() & (SHARDS - 1)];
		int kept = forEachLive(shard, currentTimeMillis(), (key, entry) -> {
		});
		this.expiringWritesUntilSweep.set(Math.max(MIN_SWEEP_INTERVAL, kept));
	}

	private boolean setIfAbsent(Key key, Entry entry) {
		ConcurrentHashMap<Key, Entry> shard = shard(key);
		while (true) {
			Entry current = shard.putIfAbsent(key, entry);
			if (current == null) {
				return true;
			}
			if (!current.isExpired(currentTimeMillis())) {
				return false;
			}
			if (shard.replace(key, current, entry)) {
				return true;
			}
		}
	}

	private boolean setIfPresent(Key key, Entry entry) {
		ConcurrentHashMap<Key, Entry> shard = shard(key);
		while (true) {
			Entry current = live(key, currentTimeMillis());
			if (current == null) {
				return false;
			}
			if (shard.replace(key, current, entry)) {
				return true;
			}
		}
	}

	/**
	 * The entry of a key if it has not expired; an expired one is removed.
	 */
	private @Nullable Entry live(Key key, long now) {
		ConcurrentHashMap<Key, Entry> shard = shard(key);
		Entry entry = shard.get(key);
		if (entry != null && entry.isExpired(now)) {
			shard.remove(key, entry);
			return null;
		}
		return entry;
	}

	/**
	 * When {@link #set(byte[], byte[], long, SetCondition)} sets a key.
	 */
	public enum SetCondition {

		/**
		 * Set the key whether or not it exists.
		 */
		ALWAYS,

		/**
		 * Set the key only if it does not exist ({@code NX}).
		 */
		IF_ABSENT,

		/**
		 * Set the key only if it exists ({@code XX}).
		 */
		IF_PRESENT

	}

	/**
	 * When {@link #expire} changes the expiry time of an existing key, as the options of
	 * {@code EXPIRE} ask. A key without an expiry time counts as expiring never, later than any
	 * time.
	 */
	public enum ExpireCondition {

		/**
		 * Whatever its expiry time.
		 */
		ALWAYS,

		/**
		 * Only if it has no expiry time ({@code NX}).
		 */
		IF_NO_EXPIRY,

		/**
		 * Only if it has an expiry time ({@code XX}).
		 */
		IF_EXPIRY,

		/**
		 * Only if the new time is later than its expiry time, which it must have ({@code GT},
		 * or {@code XX GT}).
		 */
		IF_LATER,

		/**
		 * Only if the new time is earlier than its expiry time, or it has none ({@code LT}).
		 */
		IF_EARLIER,

		/**
		 * Only if it has an expiry time and the new time is earlier ({@code XX LT}).
		 */
		IF_EXPIRY_AND_EARLIER;

		boolean allows(long currentMillis, long requestedMillis) {
			return switch (this) {
				case ALWAYS -> true;
				case IF_NO_EXPIRY -> currentMillis == NO_EXPIRY;
				case IF_EXPIRY -> currentMillis != NO_EXPIRY;
				case IF_LATER -> currentMillis != NO_EXPIRY && requestedMillis > currentMillis;
				case IF_EARLIER -> requestedMillis < currentMillis;
				case IF_EXPIRY_AND_EARLIER -> currentMillis != NO_EXPIRY && requestedMillis < currentMillis;
			};
		}

	}

	/**
	 * Key counts of a store.
	 *
	 * @param keys the number of keys
	 * @param expiring the number of keys with an expiry time
	 */
	public record Stats(long keys, long expiring) {

	}

	/**
	 * One step of {@link #scan}.
	 *
	 * @param cursor the cursor of the next step, 0 once the iteration is complete
	 * @param keys the keys of this step
	 */
	public record ScanResult(long cursor, List<byte[]> keys) {

	}

	/**
	 * A binary key, compared by content.
	 */
	private static final class Key {

		private final byte[] bytes;

		private final int hash;

		Key(byte[] bytes) {
			this.bytes = bytes;
			this.hash = Arrays.hashCode(bytes);
		}

		@Override
		public boolean equals(@Nullable Object other) {
			return (this == other) || (other instanceof Key that && this.hash == that.hash
					&& Arrays.equals(this.bytes, that.bytes));
		}

		@Override
		public int hashCode() {
			return this.hash;
		}

	}

	/**
	 * A value and its expiry time. Compared by identity, so that a compare-and-set replaces only
	 * the very entry that was read.
	 */
	private static final class Entry {

		private final byte[] value;

		private final long expiresAtMillis;

		Entry(byte[] value, long expiresAtMillis) {
			this.value = value;
			this.expiresAtMillis = expiresAtMillis;
		}

		boolean isExpired(long now) {
			return now > this.expiresAtMillis;
		}

	}

}
