package io.github.glidesocket.sample.resp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

import static io.github.glidesocket.sample.resp.RespCommand.SYNTAX_ERROR;
import static io.github.glidesocket.sample.resp.RespCommand.is;

/**
 * The subcommands of {@code CLIENT}: those on the calling connection, which client libraries
 * send on their own as they connect, and {@code CLIENT LIST}, which shows them all.
 * Thread-safe: each connection's state is in its {@link RespSession}.
 */
final class RespClientCommands {

	private final RespClients clients;

	private final LongSupplier clock;

	/**
	 * Create the subcommands.
	 * @param clients the connections being served
	 * @param clock the store's clock, in milliseconds
	 */
	RespClientCommands(RespClients clients, LongSupplier clock) {
		this.clients = clients;
		this.clock = clock;
	}

	/**
	 * The subcommands, in the order {@code CLIENT HELP} lists them.
	 * @return the subcommands
	 */
	List<RespCommand> commands() {
		return List.of(
				new RespCommand("id", 2, (session, request, writer) -> writer.writeInteger(session.id()), "ID",
						"    Return the ID of the current connection."),
				new RespCommand("info", 2, this::info, "INFO",
						"    Return information about the current client connection."),
				new RespCommand("list", -2, this::list, "LIST [options ...]",
						"    Return information about client connections. Options:",
						"    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)", "      Return clients of specified type.",
						"    * ID <client-id> [<client-id> ...]", "      Return clients of specified IDs only."),
				new RespCommand("getname", 2, (session, request, writer) -> writer.writeBulk(session.name()),
						"GETNAME", "    Return the name of the current connection."),
				new RespCommand("setname", 3, this::setName, "SETNAME <name>",
						"    Assign the name <name> to the current connection."),
				new RespCommand("setinfo", 4, this::setInfo, "SETINFO <option> <value>",
						"    Set client meta attr. Options are:", "    * LIB-NAME: the client lib name.",
						"    * LIB-VER: the client lib version."),
				new RespCommand("maint_notifications", -3, this::maintenanceNotifications,
						"MAINT_NOTIFICATIONS (ON|OFF) [<option> <value> ...]",
						"    Accept or decline notices of server maintenance. This server sends none."));
	}

	private void info(RespSession session, RespRequest request, RespWriter writer) throws IOException {
		writer.writeVerbatim(utf8(RespClients.describe(session, this.clock.getAsLong())));
	}

	/**
	 * {@code CLIENT LIST [TYPE type | ID id [id ...]]}. Every connection is a normal one: none
	 * is a replica, a master or subscribed.
	 */
	private void list(RespSession session, RespRequest request, RespWriter writer) throws IOException {
		boolean all = true;
		Set<Long> ids = null;
		if (request.size() == 4 && is(request.argument(2), "type")) {
			byte[] type = request.argument(3);
			if (!is(type, "normal") && !is(type, "master") && !is(type, "replica") && !is(type, "slave")
					&& !is(type, "pubsub")) {
				writer.writeError("ERR Unknown client type '" + request.text(3) + "'");
				return;
			}
			all = is(type, "normal");
		}
		else if (request.size() > 3 && is(request.argument(2), "id")) {
			ids = new HashSet<>();
			for (int i = 3; i < request.size(); i++) {
				try {
					ids.add(RespNumbers.parseLong(request.argument(i)));
				}
				catch (NumberFormatException ex) {
					writer.writeError("ERR Invalid client ID");
					return;
				}
			}
		}
		else if (request.size() != 2) {
			writer.writeError(SYNTAX_ERROR);
			return;
		}
		long now = this.clock.getAsLong();
		StringBuilder lines = new StringBuilder();
		if (all) {
			for (RespSession client : this.clients.list()) {
				if (ids == null || ids.contains(client.id())) {
					lines.append(RespClients.describe(client, now));
				}
			}
		}
		writer.writeVerbatim(utf8(lines.toString()));
	}

	private void setName(RespSession session, RespRequest request, RespWriter writer) throws IOException {
		byte[] name = request.argument(2);
		if (!RespClients.isValidName(name)) {
			writer.writeError(RespClients.INVALID_NAME);
			return;
		}
		session.name(name);
		writer.writeOk();
	}

	private void setInfo(RespSession session, RespRequest request, RespWriter writer) throws IOException {
		byte[] attribute = request.argument(2);
		boolean libraryName = is(attribute, "lib-name");
		if (!libraryName && !is(attribute, "lib-ver")) {
			writer.writeError("ERR Unrecognized option '" + request.text(2) + "'");
			return;
		}
		byte[] value = request.argument(3);
		if (!RespClients.isValidName(value)) {
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
	 * {@code CLIENT MAINT_NOTIFICATIONS ON|OFF [option value ...]}, which clients send as they
	 * connect to hear of server maintenance ahead of time. Answered {@code OK} either way: this
	 * server has no maintenance to announce, so there is nothing to send or to hold back.
	 */
	private void maintenanceNotifications(RespSession session, RespRequest request, RespWriter writer)
			throws IOException {
		byte[] mode = request.argument(2);
		if ((!is(mode, "on") && !is(mode, "off")) || request.size() % 2 == 0) {
			writer.writeError(SYNTAX_ERROR);
			return;
		}
		writer.writeOk();
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
