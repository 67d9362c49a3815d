package io.github.glidesocket.sample.resp;

import java.time.Clock;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * The keys and values that every connection of a {@link RespConnectionHandler} shares: binary
 * keys, binary values and an optional expiry time per key.
 * <p>
 * Thread-safe without locks. Each operation on one key is atomic: conditional sets and
 * increments are compare-and-set loops on a {@link ConcurrentHashMap}, so two connections
 * incrementing the same key never lose an update and of two {@code SET NX} on the same key
 * exactly one wins. Operations on several keys ({@link #delete}, {@link #exists}, {@code MSET})
 * are atomic per key, not as a whole.
 * <p>
 * Expiry is lazy: an expired key is removed when an operation finds it, and until then it is
 * invisible to every read. {@link #size()} and {@link #stats()} sweep expired keys first, so
 * their cost grows with the number of keys.
 * <p>
 * The store keeps the arrays it is given rather than copying them; callers must not change a
 * key or value array after handing it over, nor change one they get back.
 */
public final class RespStore {

	/**
	 * The expiry time of a key that never expires.
	 */
	public static final long NO_EXPIRY = Long.MAX_VALUE;

	private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();

	private final Clock clock;

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
	public RespStore(Clock clock) {
		if (clock == null) {
			throw new IllegalArgumentException("'clock' must not be null");
		}
		this.clock = clock;
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
		Entry entry = live(wrapped, this.entries.get(wrapped), currentTimeMillis());
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
		switch (condition) {
			case ALWAYS -> {
				this.entries.put(wrapped, entry);
				return true;
			}
			case IF_ABSENT -> {
				return setIfAbsent(wrapped, entry);
			}
			case IF_PRESENT -> {
				return setIfPresent(wrapped, entry);
			}
		}
		throw new IllegalStateException("Unknown condition " + condition);
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
		while (true) {
			Entry current = live(wrapped, this.entries.get(wrapped), currentTimeMillis());
			long value = (current != null) ? RespNumbers.parseLong(current.value) : 0;
			long result = Math.addExact(value, delta);
			if (current == null) {
				if (this.entries.putIfAbsent(wrapped, new Entry(RespNumbers.toBytes(result), NO_EXPIRY)) == null) {
					return result;
				}
			}
			else if (this.entries.replace(wrapped, current,
					new Entry(RespNumbers.toBytes(result), current.expiresAtMillis))) {
				return result;
			}
		}
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
			Entry entry = this.entries.remove(new Key(key));
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
			Key wrapped = new Key(key);
			if (live(wrapped, this.entries.get(wrapped), now) != null) {
				found++;
			}
		}
		return found;
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
		long expiring = 0;
		Iterator<Map.Entry<Key, Entry>> iterator = this.entries.entrySet().iterator();
		while (iterator.hasNext()) {
			Map.Entry<Key, Entry> mapping = iterator.next();
			Entry entry = mapping.getValue();
			if (entry.isExpired(now)) {
				this.entries.remove(mapping.getKey(), entry);
			}
			else {
				keys++;
				if (entry.expiresAtMillis != NO_EXPIRY) {
					expiring++;
				}
			}
		}
		return new Stats(keys, expiring);
	}

	/**
	 * Remove every key.
	 */
	public void clear() {
		this.entries.clear();
	}

	private boolean setIfAbsent(Key key, Entry entry) {
		while (true) {
			Entry current = this.entries.putIfAbsent(key, entry);
			if (current == null) {
				return true;
			}
			if (!current.isExpired(currentTimeMillis())) {
				return false;
			}
			if (this.entries.replace(key, current, entry)) {
				return true;
			}
		}
	}

	private boolean setIfPresent(Key key, Entry entry) {
		while (true) {
			Entry current = live(key, this.entries.get(key), currentTimeMillis());
			if (current == null) {
				return false;
			}
			if (this.entries.replace(key, current, entry)) {
				return true;
			}
		}
	}

	private @Nullable Entry live(Key key, @Nullable Entry entry, long now) {
		if (entry != null && entry.isExpired(now)) {
			this.entries.remove(key, entry);
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
	 * Key counts of a store.
	 *
	 * @param keys the number of keys
	 * @param expiring the number of keys with an expiry time
	 */
	public record Stats(long keys, long expiring) {

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
