package io.github.glidesocket.sample.resp;

import java.io.IOException;
import java.util.List;

import io.github.glidesocket.sample.resp.RespStore.ExpireCondition;
import io.github.glidesocket.sample.resp.RespStore.ScanResult;
import io.github.glidesocket.sample.resp.RespStore.SetCondition;
import org.jspecify.annotations.Nullable;

import static io.github.glidesocket.sample.resp.RespCommand.NOT_AN_INTEGER;
import static io.github.glidesocket.sample.resp.RespCommand.SYNTAX_ERROR;
import static io.github.glidesocket.sample.resp.RespCommand.is;
import static io.github.glidesocket.sample.resp.RespCommand.wrongArity;

/**
 * The commands on keys and their values, run on the {@link RespStore}, with Redis's replies and
 * error texts. Thread-safe: they keep no state of their own.
 */
final class RespKeyCommands {

	private static final String VALUE_TOO_LONG = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";

	private static final long DEFAULT_SCAN_COUNT = 10;

	private final RespStore store;

	private final long maxValueLength;

	/**
	 * Create the commands.
	 * @param store the store they run on
	 * @param maxValueLength the longest value {@code APPEND} may build, as long as the longest
	 * value a request may carry
	 */
	RespKeyCommands(RespStore store, long maxValueLength) {
		this.store = store;
		this.maxValueLength = maxValueLength;
	}

	/**
	 * The commands, for the server's table.
	 * @return the commands
	 */
	List<RespCommand> commands() {
		return List.of(new RespCommand("get", 2, this::get), new RespCommand("set", -3, this::set),
				new RespCommand("setnx", 3, this::setnx), new RespCommand("getset", 3, this::getset),
				new RespCommand("getdel", 2, this::getdel), new RespCommand("append", 3, this::append),
				new RespCommand("strlen", 2, this::strlen), new RespCommand("del", -2, this::del),
				new RespCommand("unlink", -2, this::del), new RespCommand("exists", -2, this::exists),
				new RespCommand("type", 2, this::type), new RespCommand("incr", 2, this::incr),
				new RespCommand("decr", 2, this::decr), new RespCommand("incrby", 3, this::incrby),
				new RespCommand("decrby", 3, this::decrby), new RespCommand("mget", -2, this::mget),
				new RespCommand("mset", -3, this::mset),
				new RespCommand("expire", -3,
						(session, request, writer) -> expire(request, writer, "expire", false, false)),
				new RespCommand("pexpire", -3,
						(session, request, writer) -> expire(request, writer, "pexpire", true, false)),
				new RespCommand("expireat", -3,
						(session, request, writer) -> expire(request, writer, "expireat", false, true)),
				new RespCommand("pexpireat", -3,
						(session, request, writer) -> expire(request, writer, "pexpireat", true, true)),
				new RespCommand("ttl", 2, (session, request, writer) -> timeToLive(request, writer, false)),
				new RespCommand("pttl", 2, (session, request, writer) -> timeToLive(request, writer, true)),
				new RespCommand("persist", 2, this::persist), new RespCommand("keys", 2, this::keys),
				new RespCommand("scan", -2, this::scan), new RespCommand("dbsize", 1, this::dbsize),
				new RespCommand("flushall", -1, this::flushAll));
	}

	private void get(RespSession session, RespRequest request, RespWriter writer) throws IOException {
		writer.writeBulk(this.store.get(request.argument(1)));
	}

	private void del(RespSession session, RespRequest request, RespWriter writer) throws IOException {
		writer.writeInteger(this.store.delete(keys(request, 1)));
	}

	private void exists(RespSession session, RespRequest request, RespWriter writer) throws IOException {
		writer.writeInteger(this.store.exists(keys(request, 1)));
	}

	private void incr(RespSession session, RespRequest request, RespWriter writer) throws IOException {
		increment(request, writer, 1);
	}

	private void decr(RespSession session, RespRequest request, RespWriter writer) throws IOException {
		increment(request, writer, -1);
	}

	private void incrby(RespSession session, RespRequest request, RespWriter writer) throws IOException {
		Long delta = parseInteger(request.argument(2), writer);
		if (delta != null) {
			increment(request, writer, delta);
		}
	}

	private void decrby(RespSession session, RespRequest request, RespWriter writer) throws IOException {
		Long delta = parseInteger(request.argument(2), writer);
		if (delta == null) {
			return;
		}
		if (delta == Long.MIN_VALUE) {
			writer.writeError("ERR decrement would overflow");
			return;
		}
		increment(request, writer, -delta);
	}

	private void setnx(RespSession session, RespRequest request, RespWriter writer) throws IOException {
		boolean set = this.store.set(request.argument(1), request.argument(2), RespStore.NO_EXPIRY,
				SetCondition.IF_ABSENT);
		writer.writeInteger(set ? 1 : 0);
	}

	private void getset(RespSession session, RespRequest request, RespWriter writer) throws IOException {
		writer.writeBulk(this.store.getAndSet(request.argument(1), request.argument(2)));
	}

	private void getdel(RespSession session, RespRequest request, RespWriter writer) throws IOException {
		writer.writeBulk(this.store.getAndDelete(request.argument(1)));
	}

	private void append(RespSession session, RespRequest request, RespWriter writer) throws IOException {
		long length = this.store.append(request.argument(1), request.argument(2), this.maxValueLength);
		if (length < 0) {
			writer.writeError(VALUE_TOO_LONG);
		}
		else {
			writer.writeInteger(length);
		}
	}

	private void strlen(RespSession session, RespRequest request, RespWriter writer) throws IOException {
		writer.writeInteger(this.store.length(request.argument(1)));
	}

	/**
	 * {@code TYPE key}: every value is a string.
	 */
	private void type(RespSession session, RespRequest request, RespWriter writer) throws IOException {
		writer.writeSimpleString((this.store.exists(request.argument(1)) != 0) ? "string" : "none");
	}

	/**
	 * {@code EXPIRE key time [NX | XX | GT | LT]} and its variants in milliseconds and at a
	 * time since the epoch. Options are checked before the time, as in Redis.
	 */
	private void expire(RespRequest request, RespWriter writer, String name, boolean inMilliseconds,
			boolean absolute) throws IOException {
		ExpireCondition condition = parseExpireCondition(request, writer);
		if (condition == null) {
			return;
		}
		Long time = parseInteger(request.argument(2), writer);
		if (time == null) {
			return;
		}
		long when = time;
		if (!inMilliseconds) {
			if (when > Long.MAX_VALUE / 1000 || when < Long.MIN_VALUE / 1000) {
				writer.writeError(invalidExpireTime(name));
				return;
			}
			when *= 1000;
		}
		long base = absolute ? 0 : this.store.currentTimeMillis();
		if (when > Long.MAX_VALUE - base) {
			writer.writeError(invalidExpireTime(name));
			return;
		}
		// The largest time would read as no expiry at all.
		long expiresAt = Math.min(when + base, RespStore.NO_EXPIRY - 1);
		writer.writeInteger(this.store.expire(request.argument(1), expiresAt, condition) ? 1 : 0);
	}

	private static @Nullable ExpireCondition parseExpireCondition(RespRequest request, RespWriter writer)
			throws IOException {
		boolean nx = false;
		boolean xx = false;
		boolean gt = false;
		boolean lt = false;
		for (int i = 3; i < request.size(); i++) {
			byte[] option = request.argument(i);
			if (is(option, "nx")) {
				nx = true;
			}
			else if (is(option, "xx")) {
				xx = true;
			}
			else if (is(option, "gt")) {
				gt = true;
			}
			else if (is(option, "lt")) {
				lt = true;
			}
			else {
				writer.writeError("ERR Unsupported option " + request.text(i));
				return null;
			}
		}
		if (nx && (xx || gt || lt)) {
			writer.writeError("ERR NX and XX, GT or LT options at the same time are not compatible");
			return null;
		}
		if (gt && lt) {
			writer.writeError("ERR GT and LT options at the same time are not compatible");
			return null;
		}
		if (nx) {
			return ExpireCondition.IF_NO_EXPIRY;
		}
		if (gt) {
			// GT already needs an expiry time to compare with, so XX adds nothing.
			return ExpireCondition.IF_LATER;
		}
		if (lt) {
			return xx ? ExpireCondition.IF_EXPIRY_AND_EARLIER : ExpireCondition.IF_EARLIER;
		}
		return xx ? ExpireCondition.IF_EXPIRY : ExpireCondition.ALWAYS;
	}

	/**
	 * {@code TTL} and {@code PTTL}: seconds are rounded to the nearest, as Redis rounds them.
	 */
	private void timeToLive(RespRequest request, RespWriter writer, boolean inMilliseconds) throws IOException {
		long millis = this.store.timeToLive(request.argument(1));
		writer.writeInteger((millis < 0 || inMilliseconds) ? millis : (millis + 500) / 1000);
	}

	private void persist(RespSession session, RespRequest request, RespWriter writer) throws IOException {
		writer.writeInteger(this.store.persist(request.argument(1)) ? 1 : 0);
	}

	private void keys(RespSession session, RespRequest request, RespWriter writer) throws IOException {
		writeKeys(this.store.keys(request.argument(1)), writer);
	}

	/**
	 * {@code SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]}. The cursor is the number of
	 * the next of the store's maps to visit; every value is a string, so {@code TYPE} keeps
	 * every key or none.
	 */
	private void scan(RespSession session, RespRequest request, RespWriter writer) throws IOException {
		long cursor;
		try {
			cursor = Long.parseUnsignedLong(request.text(1));
		}
		catch (NumberFormatException ex) {
			writer.writeError("ERR invalid cursor");
			return;
		}
		byte[] pattern = null;
		long count = DEFAULT_SCAN_COUNT;
		boolean strings = true;
		for (int i = 2; i < request.size(); i += 2) {
			byte[] option = request.argument(i);
			if (i + 1 == request.size()) {
				writer.writeError(SYNTAX_ERROR);
				return;
			}
			if (is(option, "match")) {
				pattern = request.argument(i + 1);
			}
			else if (is(option, "count")) {
				Long value = parseInteger(request.argument(i + 1), writer);
				if (value == null) {
					return;
				}
				if (value < 1) {
					writer.writeError(SYNTAX_ERROR);
					return;
				}
				count = value;
			}
			else if (is(option, "type")) {
				strings = is(request.argument(i + 1), "string");
			}
			else {
				writer.writeError(SYNTAX_ERROR);
				return;
			}
		}
		// An unsigned cursor above the signed range is one the store never returned.
		ScanResult result = this.store.scan((cursor < 0) ? RespStore.SHARDS : cursor, pattern, count);
		writer.writeArrayLength(2);
		writer.writeBulk(Long.toString(result.cursor()));
		writeKeys(strings ? result.keys() : List.of(), writer);
	}

	private void dbsize(RespSession session, RespRequest request, RespWriter writer) throws IOException {
		writer.writeInteger(this.store.size());
	}

	private void set(RespSession session, RespRequest request, RespWriter writer) throws IOException {
		SetCondition condition = SetCondition.ALWAYS;
		int expiryIndex = -1;
		boolean inMilliseconds = false;
		for (int i = 3; i < request.size(); i++) {
			byte[] option = request.argument(i);
			if (is(option, "nx") && condition != SetCondition.IF_PRESENT) {
				condition = SetCondition.IF_ABSENT;
			}
			else if (is(option, "xx") && condition != SetCondition.IF_ABSENT) {
				condition = SetCondition.IF_PRESENT;
			}
			else if ((is(option, "ex") || is(option, "px")) && expiryIndex < 0 && i + 1 < request.size()) {
				inMilliseconds = is(option, "px");
				expiryIndex = ++i;
			}
			else {
				writer.writeError(SYNTAX_ERROR);
				return;
			}
		}
		long expiresAt = RespStore.NO_EXPIRY;
		if (expiryIndex >= 0) {
			long amount;
			try {
				amount = RespNumbers.parseLong(request.argument(expiryIndex));
			}
			catch (NumberFormatException ex) {
				writer.writeError(NOT_AN_INTEGER);
				return;
			}
			long now = this.store.currentTimeMillis();
			long millis = inMilliseconds ? amount : amount * 1000;
			if (amount <= 0 || (!inMilliseconds && amount > Long.MAX_VALUE / 1000) || millis >= Long.MAX_VALUE - now) {
				writer.writeError("ERR invalid expire time in 'set' command");
				return;
			}
			expiresAt = now + millis;
		}
		if (this.store.set(request.argument(1), request.argument(2), expiresAt, condition)) {
			writer.writeOk();
		}
		else {
			writer.writeNull();
		}
	}

	private void increment(RespRequest request, RespWriter writer, long delta) throws IOException {
		try {
			writer.writeInteger(this.store.increment(request.argument(1), delta));
		}
		catch (NumberFormatException ex) {
			writer.writeError(NOT_AN_INTEGER);
		}
		catch (ArithmeticException ex) {
			writer.writeError("ERR increment or decrement would overflow");
		}
	}

	/**
	 * {@code MGET key [key ...]}. Each key is read when its value is written. A writer that is
	 * backed up stops between values and writes the rest once the peer has read what was sent,
	 * so the reply to many large values is never held whole; the values already written are
	 * not read again.
	 */
	private void mget(RespSession session, RespRequest request, RespWriter writer) throws IOException {
		writer.writeArrayLength(request.size() - 1);
		for (int i = 1; i < request.size(); i++) {
			if (writer.isBackedUp()) {
				writeValuesLater(keys(request, i), 0, writer);
				return;
			}
			writer.writeBulk(this.store.get(request.argument(i)));
		}
	}

	private void writeValues(byte[][] keys, int from, RespWriter writer) throws IOException {
		for (int i = from; i < keys.length; i++) {
			if (writer.isBackedUp()) {
				writeValuesLater(keys, i, writer);
				return;
			}
			writer.writeBulk(this.store.get(keys[i]));
		}
	}

	private void writeValuesLater(byte[][] keys, int from, RespWriter writer) {
		writer.continueLater((later) -> writeValues(keys, from, later));
	}

	private void mset(RespSession session, RespRequest request, RespWriter writer) throws IOException {
		if (request.size() % 2 == 0) {
			writer.writeError(wrongArity("mset"));
			return;
		}
		for (int i = 1; i < request.size(); i += 2) {
			this.store.set(request.argument(i), request.argument(i + 1));
		}
		writer.writeOk();
	}

	private void flushAll(RespSession session, RespRequest request, RespWriter writer) throws IOException {
		if (request.size() > 2
				|| (request.size() == 2 && !is(request.argument(1), "async") && !is(request.argument(1), "sync"))) {
			writer.writeError(SYNTAX_ERROR);
			return;
		}
		this.store.clear();
		writer.writeOk();
	}

	/**
	 * Parse an integer argument, or answer the error Redis answers for one that is not.
	 * @return the integer, or {@code null} once the error is written
	 */
	private static @Nullable Long parseInteger(byte[] argument, RespWriter writer) throws IOException {
		try {
			return RespNumbers.parseLong(argument);
		}
		catch (NumberFormatException ex) {
			writer.writeError(NOT_AN_INTEGER);
			return null;
		}
	}

	private static String invalidExpireTime(String command) {
		return "ERR invalid expire time in '" + command + "' command";
	}

	private static void writeKeys(List<byte[]> keys, RespWriter writer) throws IOException {
		writer.writeArrayLength(keys.size());
		writeKeys(keys, 0, writer);
	}

	/**
	 * Write keys from {@code from} on, stopping between keys while the writer is backed up.
	 */
	private static void writeKeys(List<byte[]> keys, int from, RespWriter writer) throws IOException {
		for (int i = from; i < keys.size(); i++) {
			if (writer.isBackedUp()) {
				int next = i;
				writer.continueLater((later) -> writeKeys(keys, next, later));
				return;
			}
			writer.writeBulk(keys.get(i));
		}
	}

	private static byte[][] keys(RespRequest request, int from) {
		byte[][] keys = new byte[request.size() - from][];
		for (int i = from; i < request.size(); i++) {
			keys[i - from] = request.argument(i);
		}
		return keys;
	}

}
