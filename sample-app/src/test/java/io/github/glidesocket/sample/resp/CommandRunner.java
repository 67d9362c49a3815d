package io.github.glidesocket.sample.resp;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One connection's view of {@link RespCommands} for tests: runs requests one after the other
 * with the same session and writer, so that what {@code HELLO} or {@code CLIENT SETNAME} set
 * lasts, and returns each reply as text. The store runs on a clock that moves only when the test
 * moves it.
 */
final class CommandRunner {

	final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	final RespStore store = new RespStore(this.clock);

	final Map<String, String> info = new LinkedHashMap<>();

	final RespSession session = new RespSession(42);

	private final RespCommands commands;

	private final RecordingOutputStream output = new RecordingOutputStream();

	private final RespWriter writer = new RespWriter(this.output);

	CommandRunner() {
		this(RespLimits.defaults());
	}

	CommandRunner(RespLimits limits) {
		this.commands = new RespCommands(this.store, limits, () -> this.info);
	}

	/**
	 * Run a request and return its reply.
	 * @param arguments the command and its arguments, sent as UTF-8
	 * @return the reply, decoded as UTF-8
	 * @throws Exception if the command fails
	 */
	String run(String... arguments) throws Exception {
		RespRequest request = new RespRequest();
		for (String argument : arguments) {
			request.add(argument.getBytes(StandardCharsets.UTF_8));
		}
		int before = this.output.toByteArray().length;
		this.commands.execute(this.session, request, this.writer);
		this.writer.flush();
		byte[] written = this.output.toByteArray();
		return new String(written, before, written.length - before, StandardCharsets.UTF_8);
	}

}
