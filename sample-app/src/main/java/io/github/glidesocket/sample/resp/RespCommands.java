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
import java.util.function.Supplier;

import io.github.glidesocket.sample.resp.RespStore.SetCondition;
import io.github.glidesocket.sample.resp.RespStore.Stats;
import org.jspecify.annotations.Nullable;

/**
 * The commands the server understands, and their replies, which follow Redis's byte for byte.
 * Besides the key-value commands there are those that {@code redis-cli},
 * {@code redis-benchmark} and client libraries send on their own when they connect.
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

	private static final String NOT_AN_INTEGER = "ERR value is not an integer or out of range";

	private static final String SYNTAX_ERROR = "ERR syntax error";

	private static final String WRONG_PASSWORD = "WRONGPASS invalid username-password pair or user is disabled.";

	private static final int MAX_NAME_IN_ERROR = 128;

	private static final byte[] DEFAULT_USER = "default".getBytes(StandardCharsets.US_ASCII);

	private static final Map<String, String> CONFIG = configuration();

	private final RespStore store;

	private final Supplier<Map<String, String>> info;

	private final long startedAtMillis;

	private final CommandTable commands;

	private final CommandTable clientCommands;

	private final CommandTable configCommands;

	private final CommandTable commandCommands;

	RespCommands(RespStore store, Supplier<Map<String, String>> info) {
		this.store = store;
		this.info = info;
		this.startedAtMillis = store.currentTimeMillis();
		this.clientCommands = new CommandTable("client", List.of(
				new Command("id", 2, (session, request, writer) -> writer.writeInteger(session.id()),
						"ID", "    Return the ID of the current connection."),
				new Command("getname", 2, (session, request, writer) -> writer.writeBulk(session.name()),
						"GETNAME", "    Return the name of the current connection."),
				new Command("setname", 3, this::clientSetName, "SETNAME <name>",
						"    Assign the name <name> to the current connection."),
				new Command("setinfo", 4, this::clientSetInfo, "SETINFO <option> <value>",
						"    Set client meta attr. Options are:", "    * LIB-NAME: the client lib name.",
						"    * LIB-VER: the client lib version.")));
		this.configCommands = new CommandTable("config", List.of(new Command("get", -3, this::configGet,
				"GET <pattern>", "    Return parameters matching the glob-like <pattern> and their values.")));
		this.commandCommands = new CommandTable("command", List.of(
				new Command("count", 2, this::commandCount, "COUNT",
						"    Return the total number of commands in this server."),
				new Command("docs", -2, (session, request, writer) -> writer.writeMapLength(0),
						"DOCS [<command-name> ...]", "    Return documentation details about commands.",
						"    This server documents none.")));
		this.commands = new CommandTable(null, List.of(new Command("ping", -1, this::ping),
				new Command("echo", 2, this::echo), new Command("set", -3, this::set),
				new Command("get", 2, this::get), new Command("del", -2, this::del),
				new Command("exists", -2, this::exists), new Command("incr", 2, this::incr),
				new Command("decr", 2, this::decr), new Command("mget", -2, this::mget),
				new Command("mset", -3, this::mset), new Command("dbsize", 1, this::dbsize),
				new Command("flushall", -1, this::flushAll), new Command("quit", -1, this::quit),
				new Command("select", 2, this::select), new Command("hello", -1, this::hello),
				new Command("auth", -2, this::auth),
				new Command("info", -1, this::info), new Command("client", -2, this::client),
				new Command("config", -2, this::config), new Command("command", -1, this::command)));
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
		Command command = this.commands.find(request.argument(0));
		if (command == null) {
			writer.writeError(unknownCommand(request));
			return;
		}
		if (!command.acceptsArguments(request.size())) {
			writer.writeError(wrongArity(command.name));
			return;
		}
		command.action.run(session, request, writer);
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

	private void client(RespSession session, RespRequest request, RespWriter writer) throws IOException {
		dispatch(this.clientCommands, session, request, writer);
	}

	private void config(RespSession session, RespRequest request, RespWriter writer) throws IOException {
		dispatch(this.configCommands, session, request, writer);
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
			if (!isValidName(name)) {
				writer.writeError("ERR Client names cannot contain spaces, newlines or special characters.");
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
	 * {@code INFO [section ...]}: the {@code server}, {@code glidesocket} and {@code keyspace}
	 * sections, all of them by default or for {@code all}, {@code everything} and
	 * {@code default}; an unknown section gives an empty reply, as in Redis.
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

	private void clientSetName(RespSession session, RespRequest request, RespWriter writer) throws IOException {
		byte[] name = request.argument(2);
		if (!isValidName(name)) {
			writer.writeError("ERR Client names cannot contain spaces, newlines or special characters.");
			return;
		}
		session.name(name);
		writer.writeOk();
	}

	private void clientSetInfo(RespSession session, RespRequest request, RespWriter writer) throws IOException {
		byte[] attribute = request.argument(2);
		boolean libraryName = is(attribute, "lib-name");
		if (!libraryName && !is(attribute, "lib-ver")) {
			writer.writeError("ERR Unrecognized option '" + request.text(2) + "'");
			return;
		}
		byte[] value = request.argument(3);
		if (!isValidName(value)) {
			writer.writeError("ERR " + request.text(2) + " cannot contain spaces, newlines or special characters.");
			return;
		}
		if (libraryName) {
			session.libraryName(value);
		}
		else {
			session.libraryVersion(value);
		}
		writer.writeOk();
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

	private void dispatch(CommandTable subcommands, RespSession session, RespRequest request, RespWriter writer)
			throws IOException {
		String container = subcommands.container;
		byte[] name = request.argument(1);
		if (is(name, "help") && request.size() == 2) {
			writeHelp(subcommands, writer);
			return;
		}
		Command subcommand = subcommands.find(name);
		if (subcommand == null) {
			writer.writeError("ERR unknown subcommand '" + truncate(request.text(1)) + "'. Try "
					+ container.toUpperCase(Locale.ROOT) + " HELP.");
			return;
		}
		if (!subcommand.acceptsArguments(request.size())) {
			writer.writeError(wrongArity(container + "|" + subcommand.name));
			return;
		}
		subcommand.action.run(session, request, writer);
	}

	private static void writeHelp(CommandTable subcommands, RespWriter writer) throws IOException {
		String container = subcommands.container.toUpperCase(Locale.ROOT);
		List<String> lines = new ArrayList<>();
		lines.add(container + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
		for (Command command : subcommands.commands) {
			lines.addAll(command.help);
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

	private static String wrongArity(String name) {
		return "ERR wrong number of arguments for '" + name + "' command";
	}

	private static String truncate(String text) {
		return (text.length() > MAX_NAME_IN_ERROR) ? text.substring(0, MAX_NAME_IN_ERROR) : text;
	}

	private static byte[][] keys(RespRequest request, int from) {
		byte[][] keys = new byte[request.size() - from][];
		for (int i = from; i < request.size(); i++) {
			keys[i - from] = request.argument(i);
		}
		return keys;
	}

	private static boolean isDefaultUser(byte[] user) {
		return Arrays.equals(user, DEFAULT_USER);
	}

	/**
	 * Whether a client or library name is acceptable: printable ASCII without spaces.
	 */
	private static boolean isValidName(byte[] name) {
		for (byte character : name) {
			if (character < '!' || character > '~') {
				return false;
			}
		}
		return true;
	}

	/**
	 * Whether an argument equals a lower-case ASCII word, ignoring case.
	 */
	private static boolean is(byte[] argument, String lowerCaseWord) {
		if (argument.length != lowerCaseWord.length()) {
			return false;
		}
		for (int i = 0; i < argument.length; i++) {
			if (toLowerCase(argument[i]) != lowerCaseWord.charAt(i)) {
				return false;
			}
		}
		return true;
	}

	private static int toLowerCase(byte character) {
		return (character >= 'A' && character <= 'Z') ? character + ('a' - 'A') : character & 0xFF;
	}

	private static Map<String, String> configuration() {
		// What redis-benchmark and GUI clients read; the data lives only in memory.
		Map<String, String> configuration = new LinkedHashMap<>();
		configuration.put("save", "");
		configuration.put("appendonly", "no");
		configuration.put("databases", "1");
		return Collections.unmodifiableMap(configuration);
	}

	@FunctionalInterface
	private interface Action {

		void run(RespSession session, RespRequest request, RespWriter writer) throws IOException;

	}

	/**
	 * A command or subcommand. Its arity counts every argument, the command name included, as
	 * Redis does: positive for exactly that many, negative for at least its absolute value.
	 */
	private static final class Command {

		private final String name;

		private final int arity;

		private final Action action;

		private final List<String> help;

		Command(String name, int arity, Action action, String... help) {
			this.name = name;
			this.arity = arity;
			this.action = action;
			this.help = List.of(help);
		}

		boolean acceptsArguments(int count) {
			return (this.arity >= 0) ? count == this.arity : count >= -this.arity;
		}

		boolean matches(byte[] name) {
			return is(name, this.name);
		}

	}

	/**
	 * An open-addressing table of commands, looked up by a name's bytes ignoring ASCII case.
	 */
	private static final class CommandTable {

		private final String container;

		private final List<Command> commands;

		private final Command[] slots;

		private final int mask;

		CommandTable(@Nullable String container, List<Command> commands) {
			this.container = (container != null) ? container : "";
			this.commands = commands;
			this.slots = new Command[Integer.highestOneBit(commands.size() * 4 - 1) << 1];
			this.mask = this.slots.length - 1;
			for (Command command : commands) {
				int slot = hash(command.name.getBytes(StandardCharsets.US_ASCII)) & this.mask;
				while (this.slots[slot] != null) {
					slot = (slot + 1) & this.mask;
				}
				this.slots[slot] = command;
			}
		}

		int size() {
			return this.commands.size();
		}

		@Nullable Command find(byte[] name) {
			for (int slot = hash(name) & this.mask;; slot = (slot + 1) & this.mask) {
				Command command = this.slots[slot];
				if (command == null || command.matches(name)) {
					return command;
				}
			}
		}

		private static int hash(byte[] name) {
			int hash = 0;
			for (byte character : name) {
				hash = 31 * hash + toLowerCase(character);
			}
			return hash ^ (hash >>> 16);
		}

	}

}
