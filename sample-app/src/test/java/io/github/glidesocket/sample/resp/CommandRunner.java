package io.github.glidesocket.sample.resp;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One connection's view of {@link RespCommands} for tests: runs requests one after the other
 * with the same session and writer, so that what {@code HELLO} or {@code CLIENT SETNAME} set
 * lasts, and returns each reply as text. The store runs on a clock that moves only when the test
 * moves it. {@link #connect} opens further connections to the same commands and store.
 */
final class CommandRunner {

	static final String SOCKET_PATH = "/run/app.sock";

	final MutableClock clock;

	final RespStore store;

	final Map<String, String> info;

	final RespCommands commands;

	final RespSession session;

	private final RecordingOutputStream output = new RecordingOutputStream();

	private final RespWriter writer = new RespWriter(this.output);

	CommandRunner() {
		this(RespLimits.defaults());
	}

	CommandRunner(RespLimits limits) {
		this.clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
		this.store = new RespStore(this.clock);
		this.info = new LinkedHashMap<>();
		Map<String, String> info = this.info;
		this.commands = new RespCommands(this.store, limits, () -> info);
		this.session = this.commands.open(42, SOCKET_PATH);
	}

	private CommandRunner(CommandRunner first, long id) {
		this.clock = first.clock;
		this.store = first.store;
		this.info = first.info;
		this.commands = first.commands;
		this.session = this.commands.open(id, SOCKET_PATH);
	}

	/**
	 * Open another connection to the same commands and store.
	 * @param id its id
	 * @return the new connection
	 */
	CommandRunner connect(long id) {
		return new CommandRunner(this, id);
	}

	/**
	 * Close this connection.
	 */
	void disconnect() {
		this.commands.close(this.session);
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
