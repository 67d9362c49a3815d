package io.github.glidesocket.sample.resp;

import java.io.IOException;
import java.util.List;

import io.github.glidesocket.sample.resp.RespStore.SetCondition;

import static io.github.glidesocket.sample.resp.RespCommand.NOT_AN_INTEGER;
import static io.github.glidesocket.sample.resp.RespCommand.SYNTAX_ERROR;
import static io.github.glidesocket.sample.resp.RespCommand.is;
import static io.github.glidesocket.sample.resp.RespCommand.wrongArity;

/**
 * The commands on keys and their values, run on the {@link RespStore}, with Redis's replies and
 * error texts. Thread-safe: they keep no state of their own.
 */
final class RespKeyCommands {

	private final RespStore store;

	RespKeyCommands(RespStore store) {
		this.store = store;
	}

	/**
	 * The commands, for the server's table.
	 * @return the commands
	 */
	List<RespCommand> commands() {
		return List.of(new RespCommand("get", 2, this::get), new RespCommand("set", -3, this::set),
				new RespCommand("del", -2, this::del), new RespCommand("exists", -2, this::exists),
				new RespCommand("incr", 2, this::incr), new RespCommand("decr", 2, this::decr),
				new RespCommand("mget", -2, this::mget), new RespCommand("mset", -3, this::mset),
				new RespCommand("dbsize", 1, this::dbsize), new RespCommand("flushall", -1, this::flushAll));
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

	private void mget(RespSession session, RespRequest request, RespWriter writer) throws IOException {
		writer.writeArrayLength(request.size() - 1);
		for (int i = 1; i < request.size(); i++) {
			writer.writeBulk(this.store.get(request.argument(i)));
		}
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

	private static byte[][] keys(RespRequest request, int from) {
		byte[][] keys = new byte[request.size() - from][];
		for (int i = from; i < request.size(); i++) {
			keys[i - from] = request.argument(i);
		}
		return keys;
	}

}
