package io.github.glidesocket.sample.resp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import io.github.glidesocket.sample.resp.RespStore.Stats;
import org.jspecify.annotations.Nullable;

import static io.github.glidesocket.sample.resp.RespCommand.NOT_AN_INTEGER;
import static io.github.glidesocket.sample.resp.RespCommand.SYNTAX_ERROR;
import static io.github.glidesocket.sample.resp.RespCommand.is;
import static io.github.glidesocket.sample.resp.RespCommand.wrongArity;

/**
 * Runs each request: finds its command and checks its arity, then runs it. Replies follow
 * Redis's byte for byte. The commands on keys are {@link RespKeyCommands}; here are those on
 * the connection and the server, which {@code redis-cli}, {@code redis-benchmark} and client
 * libraries send on their own when they connect.
 * <p>
 * Commands are found by name without allocating: names are hashed and compared ignoring ASCII
 * case, straight from the request's bytes. Thread-safe: connection state lives in the
 * {@link RespSession}, shared state in the {@link RespStore}.
 */
final class RespCommands {

	/**
	 * The Redis version whose protocol the server follows, reported by {@code HELLO} and
	 * {@code INFO}. Clients read it to decide which commands they may send.
	 */
	static final String REDIS_VERSION = "7.2.0";

	/**
	 * The server name reported by {@code HELLO}.
	 */
	static final String SERVER_NAME = "glidesocket";

	private static final String WRONG_PASSWORD = "WRONGPASS invalid username-password pair or user is disabled.";

	private static final int MAX_NAME_IN_ERROR = 128;

	private static final byte[] DEFAULT_USER = "default".getBytes(StandardCharsets.US_ASCII);

	private static final Map<String, String> CONFIG = configuration();

	private final RespStore store;

	private final Supplier<Map<String, String>> info;

	private final long startedAtMillis;

	private final RespClients clients = new RespClients();

	private final LongAdder commandsProcessed = new LongAdder();

	private final LongAdder errorReplies = new LongAdder();

	private final RespCommandTable commands;

	private final RespCommandTable clientCommands;

	private final RespCommandTable configCommands;

	private final RespCommandTable commandCommands;

	RespCommands(RespStore store, Supplier<Map<String, String>> info) {
		this(store, RespLimits.defaults(), info);
	}

	/**
	 * Create the commands.
	 * @param store the store they share
	 * @param limits the limits on each request, which also bound the values commands build
	 * @param info the fields of the {@code # Glidesocket} section of {@code INFO}
	 */
	RespCommands(RespStore store, RespLimits limits, Supplier<Map<String, String>> info) {
		this.store = store;
		this.info = info;
		this.startedAtMillis = store.currentTimeMillis();
		this.clientCommands = new RespCommandTable("client",
				new RespClientCommands(this.clients, store::currentTimeMillis).commands());
		this.configCommands = new RespCommandTable("config", List.of(new RespCommand("get", -3, this::configGet,
				"GET <pattern>", "    Return parameters matching the glob-like <pattern> and their values.")));
		this.commandCommands = new RespCommandTable("command", List.of(
				new RespCommand("count", 2, this::commandCount, "COUNT",
						"    Return the total number of commands in this server."),
				new RespCommand("docs", -2, (session, request, writer) -> writer.writeMapLength(0),
						"DOCS [<command-name> ...]", "    Return documentation details about commands.",
						"    This server documents none.")));
		List<RespCommand> commands = new ArrayList<>(List.of(new RespCommand("ping", -1, this::ping),
				new RespCommand("echo", 2, this::echo), new RespCommand("quit", -1, this::quit),
				new RespCommand("select", 2, this::select), new RespCommand("hello", -1, this::hello),
				new RespCommand("auth", -2, this::auth), new RespCommand("info", -1, this::info),
				new RespCommand("client", -2, this::client), new RespCommand("config", -2, this::config),
				new RespCommand("command", -1, this::command)));
		commands.addAll(new RespKeyCommands(store, limits.maxBulkLength()).commands());
		this.commands = new RespCommandTable(null, commands);
	}

	/**
	 * Start serving a connection: its session joins those {@code CLIENT LIST} shows.
	 * @param id the connection's id
	 * @param socketPath the path of the socket it arrived on
	 * @return its session, to {@link #close} when the connection closes
	 */
	RespSession open(long id, String socketPath) {
		RespSession session = new RespSession(id, socketPath, this.store.currentTimeMillis());
		this.clients.add(session);
		return session;
	}

	/**
	 * Stop serving a connection.
	 * @param session its session
	 */
	void close(RespSession session) {
		this.clients.remove(session);
	}

	/**
	 * Run a request and write its reply. A request that cannot run (unknown command, wrong
	 * number of arguments, bad option) gets an error reply and leaves the connection usable.
	 * @param session the connection's state
	 * @param request the request
	 * @param writer where the reply goes
	 * @throws IOException if writing the reply fails
	 */
	void execute(RespSession session, RespRequest request, RespWriter writer) throws IOException {
		long errors = writer.errors();
		try {
			RespCommand command = this.commands.find(request.argument(0));
			if (command == null) {
				writer.writeError(unknownCommand(request));
				return;
			}
			if (!command.acceptsArguments(request.size())) {
				writer.writeError(wrongArity(command.name()));
				return;
			}
			session.commandStarted(command.name(), this.store.currentTimeMillis());
			command.run(session, request, writer);
			this.commandsProcessed.increment();
		}
		finally {
			if (writer.errors() != errors) {
				this.errorReplies.increment();
			}
		}
	}

	private void ping(RespSession session, RespRequest request, RespWriter writer) throws IOException {
		if (request.size() > 2) {
			writer.writeError(wrongArity("ping"));
		}
		else if (request.size() == 2) {
			writer.writeBulk(request.argument(1));
		}
		else {
			writer.writeSimpleString("PONG");
		}
	}

	private void echo(RespSession session, RespRequest request, RespWriter writer) throws IOException {
		writer.writeBulk(request.argument(1));
	}

	private void client(RespSession session, RespRequest request, RespWriter writer) throws IOException {
		dispatch(this.clientCommands, session, request, writer);
	}

	private void config(RespSession session, RespRequest request, RespWriter writer) throws IOException {
		dispatch(this.configCommands, session, request, writer);
	}

	private void quit(RespSession session, RespRequest request, RespWriter writer) throws IOException {
		writer.writeOk();
		session.close();
	}

	private void select(RespSession session, RespRequest request, RespWriter writer) throws IOException {
		long index;
		try {
			index = RespNumbers.parseLong(request.argument(1));
		}
		catch (NumberFormatException ex) {
			writer.writeError(NOT_AN_INTEGER);
			return;
		}
		if (index < Integer.MIN_VALUE || index > Integer.MAX_VALUE) {
			writer.writeError("ERR value is out of range, value must between " + Integer.MIN_VALUE + " and "
					+ Integer.MAX_VALUE);
		}
		else if (index != 0) {
			writer.writeError("ERR DB index is out of range");
		}
		else {
			writer.writeOk();
		}
	}

	/**
	 * {@code HELLO [protover [AUTH username password] [SETNAME name]]}: switches the connection
	 * to protocol 2 or 3, checks credentials and names the connection, all or nothing, then
	 * answers with the server's details in the protocol now spoken. Without a version it only
	 * answers.
	 */
	private void hello(RespSession session, RespRequest request, RespWriter writer) throws IOException {
		RespProtocol protocol = writer.protocol();
		if (request.size() >= 2) {
			long version;
			try {
				version = RespNumbers.parseLong(request.argument(1));
			}
			catch (NumberFormatException ex) {
				writer.writeError("ERR Protocol version is not an integer or out of range");
				return;
			}
			protocol = RespProtocol.of(version);
			if (protocol == null) {
				writer.writeError("NOPROTO unsupported protocol version");
				return;
			}
		}
		byte[] user = null;
		byte[] name = null;
		for (int i = 2; i < request.size(); i++) {
			int remaining = request.size() - i - 1;
			byte[] option = request.argument(i);
			if (is(option, "auth") && remaining >= 2) {
				user = request.argument(++i);
				i++;
			}
			else if (is(option, "setname") && remaining >= 1) {
				name = request.argument(++i);
			}
			else {
				writer.writeError("ERR Syntax error in HELLO option '" + request.text(i) + "'");
				return;
			}
		}
		if (user != null && !isDefaultUser(user)) {
			writer.writeError(WRONG_PASSWORD);
			return;
		}
		if (name != null) {
			if (!RespClients.isValidName(name)) {
				writer.writeError(RespClients.INVALID_NAME);
				return;
			}
			session.name(name);
		}
		session.protocol(protocol);
		writer.protocol(protocol);
		writer.writeMapLength(7);
		writer.writeBulk("server");
		writer.writeBulk(SERVER_NAME);
		writer.writeBulk("version");
		writer.writeBulk(REDIS_VERSION);
		writer.writeBulk("proto");
		writer.writeInteger(protocol.version());
		writer.writeBulk("id");
		writer.writeInteger(session.id());
		writer.writeBulk("mode");
		writer.writeBulk("standalone");
		writer.writeBulk("role");
		writer.writeBulk("master");
		writer.writeBulk("modules");
		writer.writeArrayLength(0);
	}

	/**
	 * {@code AUTH [username] password}, answered as Redis does while its {@code default} user
	 * has no password: any password for {@code default}, no other user. Who may connect at all
	 * is decided by the socket's file permissions and peer policy, not by passwords.
	 */
	private void auth(RespSession session, RespRequest request, RespWriter writer) throws IOException {
		if (request.size() > 3) {
			writer.writeError(SYNTAX_ERROR);
		}
		else if (request.size() == 2) {
			writer.writeError("ERR AUTH <password> called without any password configured for the default user. "
					+ "Are you sure your configuration is correct?");
		}
		else if (!isDefaultUser(request.argument(1))) {
			writer.writeError(WRONG_PASSWORD);
		}
		else {
			writer.writeOk();
		}
	}

	/**
	 * {@code INFO [section ...]}: the {@code server}, {@code clients}, {@code stats},
	 * {@code glidesocket} and {@code keyspace} sections, all of them by default or for
	 * {@code all}, {@code everything} and {@code default}; an unknown section gives an empty
	 * reply, as in Redis.
	 */
	private void info(RespSession session, RespRequest request, RespWriter writer) throws IOException {
		List<String> sections = new ArrayList<>();
		for (int i = 1; i < request.size(); i++) {
			sections.add(request.text(i).toLowerCase(Locale.ROOT));
		}
		boolean all = sections.isEmpty() || sections.contains("all") || sections.contains("everything")
				|| sections.contains("default");
		StringBuilder text = new StringBuilder();
		if (all || sections.contains("server")) {
			long uptimeSeconds = Math.max(0, this.store.currentTimeMillis() - this.startedAtMillis) / 1000;
			Map<String, String> server = new LinkedHashMap<>();
			server.put("redis_version", REDIS_VERSION);
			server.put("redis_mode", "standalone");
			server.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
					+ System.getProperty("os.arch"));
			server.put("process_id", Long.toString(ProcessHandle.current().pid()));
			server.put("uptime_in_seconds", Long.toString(uptimeSeconds));
			server.put("uptime_in_days", Long.toString(uptimeSeconds / 86400));
			appendSection(text, "Server", server);
		}
		if (all || sections.contains("clients")) {
			appendSection(text, "Clients", Map.of("connected_clients", Integer.toString(this.clients.size())));
		}
		if (all || sections.contains("stats")) {
			Map<String, String> stats = new LinkedHashMap<>();
			stats.put("total_commands_processed", Long.toString(this.commandsProcessed.sum()));
			stats.put("total_error_replies", Long.toString(this.errorReplies.sum()));
			appendSection(text, "Stats", stats);
		}
		if (all || sections.contains("glidesocket")) {
			appendSection(text, "Glidesocket", this.info.get());
		}
		if (all || sections.contains("keyspace")) {
			Stats stats = this.store.stats();
			Map<String, String> keyspace = (stats.keys() != 0)
					? Map.of("db0", "keys=" + stats.keys() + ",expires=" + stats.expiring() + ",avg_ttl=0") : Map.of();
			appendSection(text, "Keyspace", keyspace);
		}
		writer.writeVerbatim(text.toString().getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * {@code CONFIG GET pattern [pattern ...]}: the few parameters clients ask for. A glob
	 * pattern is matched ignoring case; a plain name is looked up ignoring
	 * case and answered in the case it was asked in, as Redis does.
	 */
	private void configGet(RespSession session, RespRequest request, RespWriter writer) throws IOException {
		Map<String, String> matches = new LinkedHashMap<>();
		for (int i = 2; i < request.size(); i++) {
			String pattern = request.text(i);
			String lowerCasePattern = pattern.toLowerCase(Locale.ROOT);
			if (pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0 && pattern.indexOf('[') < 0) {
				String value = CONFIG.get(lowerCasePattern);
				if (value != null && !containsIgnoringCase(matches, pattern)) {
					matches.put(pattern, value);
				}
				continue;
			}
			CONFIG.forEach((name, value) -> {
				if (RespGlob.matches(latin1(lowerCasePattern), latin1(name)) && !containsIgnoringCase(matches, name)) {
					matches.put(name, value);
				}
			});
		}
		writer.writeMapLength(matches.size());
		for (Map.Entry<String, String> match : matches.entrySet()) {
			writer.writeBulk(match.getKey());
			writer.writeBulk(match.getValue());
		}
	}

	private static byte[] latin1(String text) {
		return text.getBytes(StandardCharsets.ISO_8859_1);
	}

	private static boolean containsIgnoringCase(Map<String, String> matches, String name) {
		return matches.keySet().stream().anyMatch(name::equalsIgnoreCase);
	}

	private void command(RespSession session, RespRequest request, RespWriter writer) throws IOException {
		if (request.size() == 1) {
			// Clients use the full command table only for hints; an empty one is valid.
			writer.writeArrayLength(0);
			return;
		}
		dispatch(this.commandCommands, session, request, writer);
	}

	private void commandCount(RespSession session, RespRequest request, RespWriter writer) throws IOException {
		writer.writeInteger(this.commands.size());
	}

	private void dispatch(RespCommandTable subcommands, RespSession session, RespRequest request, RespWriter writer)
			throws IOException {
		String container = subcommands.container();
		byte[] name = request.argument(1);
		if (is(name, "help") && request.size() == 2) {
			writeHelp(subcommands, writer);
			return;
		}
		RespCommand subcommand = subcommands.find(name);
		if (subcommand == null) {
			writer.writeError("ERR unknown subcommand '" + truncate(request.text(1)) + "'. Try "
					+ container.toUpperCase(Locale.ROOT) + " HELP.");
			return;
		}
		if (!subcommand.acceptsArguments(request.size())) {
			writer.writeError(wrongArity(container + "|" + subcommand.name()));
			return;
		}
		session.commandStarted(container + "|" + subcommand.name(), this.store.currentTimeMillis());
		subcommand.run(session, request, writer);
	}

	private static void writeHelp(RespCommandTable subcommands, RespWriter writer) throws IOException {
		String container = subcommands.container().toUpperCase(Locale.ROOT);
		List<String> lines = new ArrayList<>();
		lines.add(container + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
		for (RespCommand command : subcommands.commands()) {
			lines.addAll(command.help());
		}
		lines.add("HELP");
		lines.add("    Print this help.");
		writer.writeArrayLength(lines.size());
		for (String line : lines) {
			writer.writeSimpleString(line);
		}
	}

	private static void appendSection(StringBuilder text, String title, Map<String, String> fields) {
		if (!text.isEmpty()) {
			text.append("\r\n");
		}
		text.append("# ").append(title).append("\r\n");
		fields.forEach((name, value) -> text.append(oneLine(name).replace(':', '_'))
			.append(':')
			.append(oneLine(value))
			.append("\r\n"));
	}

	private static String oneLine(@Nullable String text) {
		return (text != null) ? text.replace('\r', ' ').replace('\n', ' ') : "";
	}

	private static String unknownCommand(RespRequest request) {
		StringBuilder arguments = new StringBuilder();
		for (int i = 1; i < request.size() && arguments.length() < MAX_NAME_IN_ERROR; i++) {
			String argument = request.text(i);
			int room = MAX_NAME_IN_ERROR - arguments.length();
			arguments.append('\'').append(argument, 0, Math.min(argument.length(), room)).append("' ");
		}
		return "ERR unknown command '" + truncate(request.text(0)) + "', with args beginning with: " + arguments;
	}

	private static String truncate(String text) {
		return (text.length() > MAX_NAME_IN_ERROR) ? text.substring(0, MAX_NAME_IN_ERROR) : text;
	}

	private static boolean isDefaultUser(byte[] user) {
		return Arrays.equals(user, DEFAULT_USER);
	}

	private static Map<String, String> configuration() {
		// What redis-benchmark and GUI clients read; the data lives only in memory.
		Map<String, String> configuration = new LinkedHashMap<>();
		configuration.put("save", "");
		configuration.put("appendonly", "no");
		configuration.put("databases", "1");
		return Collections.unmodifiableMap(configuration);
	}

}
