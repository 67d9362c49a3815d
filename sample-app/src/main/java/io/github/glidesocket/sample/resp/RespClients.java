package io.github.glidesocket.sample.resp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * The connections being served, as {@code CLIENT LIST} shows them. A connection's session joins
 * when it opens and leaves when it closes. Thread-safe: sessions join and leave on their own
 * threads while any connection lists them.
 */
final class RespClients {

	/**
	 * The error for a client or library name that {@link #isValidName} refuses.
	 */
	static final String INVALID_NAME = "ERR Client names cannot contain spaces, newlines or special characters.";

	private final ConcurrentHashMap<Long, RespSession> sessions = new ConcurrentHashMap<>();

	/**
	 * Add the session of a connection that opened.
	 * @param session the session
	 */
	void add(RespSession session) {
		this.sessions.put(session.id(), session);
	}

	/**
	 * Remove the session of a connection that closed.
	 * @param session the session
	 */
	void remove(RespSession session) {
		this.sessions.remove(session.id(), session);
	}

	/**
	 * The number of connections.
	 * @return how many sessions there are
	 */
	int size() {
		return this.sessions.size();
	}

	/**
	 * The sessions, oldest connection first.
	 * @return the sessions, by id
	 */
	List<RespSession> list() {
		List<RespSession> sessions = new ArrayList<>(this.sessions.values());
		sessions.sort(Comparator.comparingLong(RespSession::id));
		return sessions;
	}

	/**
	 * Describe a connection as one line of {@code CLIENT LIST}, with Redis's fields in Redis's
	 * order but its file descriptor. The fields on Redis's buffers and memory ({@code qbuf} to
	 * {@code tot-mem}) are 0: this server does not measure them, and client libraries parse them
	 * as numbers, so they must be there.
	 * @param session the connection's session
	 * @param nowMillis the time, on the store's clock
	 * @return the line, ending with a line feed
	 */
	static String describe(RespSession session, long nowMillis) {
		String address = session.socketPath() + ":0";
		return "id=" + session.id() + " addr=" + address + " laddr=" + address + " name=" + text(session.name())
				+ " age=" + seconds(nowMillis - session.connectedAtMillis()) + " idle="
				+ seconds(nowMillis - session.lastCommandAtMillis())
				// U: connected through a Unix-domain socket.
				+ " flags=U db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0"
				+ " obl=0 oll=0 omem=0 tot-mem=0 events=r cmd=" + session.lastCommand()
				+ " user=default redir=-1 resp=" + session.protocol().version() + " lib-name="
				+ text(session.libraryName()) + " lib-ver=" + text(session.libraryVersion()) + "\n";
	}

	/**
	 * Whether a client or library name is acceptable: printable ASCII without spaces, so that a
	 * line of {@code CLIENT LIST} stays one line of fields.
	 * @param name the name
	 * @return {@code true} if it may be used
	 */
	static boolean isValidName(byte[] name) {
		for (byte character : name) {
			if (character < '!' || character > '~') {
				return false;
			}
		}
		return true;
	}

	private static long seconds(long millis) {
		return Math.max(0, millis) / 1000;
	}

	private static String text(byte @Nullable [] bytes) {
		// Names are printable ASCII: CLIENT SETNAME, SETINFO and HELLO refuse anything else.
		return (bytes != null) ? new String(bytes, StandardCharsets.US_ASCII) : "";
	}

}
