package io.github.glidesocket.metrics;

import java.util.List;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.BaseUnits;
import org.jspecify.annotations.Nullable;

/**
 * The meters of glide-socket: name, type, base unit, description and tag keys, declared once.
 * <p>
 * Tag values come from small fixed sets: {@value #SOCKET_TAG} is the configured name of the
 * socket ({@code default}, the key of a named socket, {@code <name>-<index>} for each member of
 * a pool, or {@code other} for any socket at a path that is not configured), and
 * {@value #REASON_TAG} is
 * {@link io.github.glidesocket.core.RejectReason#tagValue()}.
 */
public enum GlideSocketMeters {

	/** Sockets bound, with references or lingering. */
	ACTIVE("glide.socket.active", Meter.Type.GAUGE, "sockets", "Sockets bound by the manager, with references or lingering"),

	/** Open references per socket. */
	REFERENCES("glide.socket.references", Meter.Type.GAUGE, "references", "Open references to the socket",
			GlideSocketMeters.SOCKET_TAG),

	/** Connections being served per socket. */
	CONNECTIONS_ACTIVE("glide.socket.connections.active", Meter.Type.GAUGE, BaseUnits.CONNECTIONS,
			"Connections being served on the socket", GlideSocketMeters.SOCKET_TAG),

	/** Connections accepted and handed to the handler. */
	CONNECTIONS_ACCEPTED("glide.socket.connections.accepted", Meter.Type.COUNTER, BaseUnits.CONNECTIONS,
			"Connections accepted on the socket and handed to its handler", GlideSocketMeters.SOCKET_TAG),

	/** Connections refused, by reason. */
	CONNECTIONS_REJECTED("glide.socket.connections.rejected", Meter.Type.COUNTER, BaseUnits.CONNECTIONS,
			"Connections refused on the socket, by reason", GlideSocketMeters.SOCKET_TAG,
			GlideSocketMeters.REASON_TAG),

	/** Accepts that failed on the socket, such as when the process ran out of file descriptors. */
	ACCEPT_FAILURES("glide.socket.accept.failures", Meter.Type.COUNTER, "failures",
			"Attempts to accept a connection on the socket that failed, such as when the process ran out of file descriptors",
			GlideSocketMeters.SOCKET_TAG),

	/** Bytes read from the socket's connections. */
	BYTES_RECEIVED("glide.socket.bytes.received", Meter.Type.COUNTER, "bytes",
			"Bytes read from the socket's connections, counted per read", GlideSocketMeters.SOCKET_TAG),

	/** Bytes written to the socket's connections. */
	BYTES_SENT("glide.socket.bytes.sent", Meter.Type.COUNTER, "bytes",
			"Bytes written to the socket's connections, counted per write", GlideSocketMeters.SOCKET_TAG),

	/** How long connections were open. */
	CONNECTION_DURATION("glide.socket.connections.duration", Meter.Type.TIMER, null,
			"How long the socket's connections were open, recorded when each ends", GlideSocketMeters.SOCKET_TAG),

	/** Times the socket's file was found replaced by a file this socket did not create. */
	FILE_REPLACED("glide.socket.file.replaced", Meter.Type.COUNTER, "replacements",
			"Times the file at the socket's path was found replaced by a file the socket did not create (it is left alone)",
			GlideSocketMeters.SOCKET_TAG),

	/** Times another process that the socket's server policy trusts took the socket over. */
	TAKEN_OVER("glide.socket.taken.over", Meter.Type.COUNTER, "takeovers",
			"Times another process that the socket's server policy trusts took the socket's path over (a handover)",
			GlideSocketMeters.SOCKET_TAG),

	/** Event-loop connections closed because their replies exceeded the output limits. */
	OUTPUT_LIMIT("glide.socket.connections.output.limit", Meter.Type.COUNTER, "connections",
			"Connections closed because replies waiting for their peer exceeded the socket's or the manager's output limit",
			GlideSocketMeters.SOCKET_TAG),

	/** Failures of the application's code (peer policy, handler, session) while serving a connection. */
	CALLBACK_FAILURES("glide.socket.callback.failures", Meter.Type.COUNTER, "failures",
			"Times the application's code threw while the socket served a connection (the connection was closed or refused)",
			GlideSocketMeters.SOCKET_TAG, GlideSocketMeters.CALLBACK_TAG),

	/** Connections closed because their peer read nothing for the write timeout. */
	WRITE_TIMEOUTS("glide.socket.connections.write.timeouts", Meter.Type.COUNTER, "connections",
			"Connections closed because sending to them made no progress for the socket's write timeout",
			GlideSocketMeters.SOCKET_TAG),

	/** Accepting threads or loops that ended unexpectedly under the socket. */
	ACCEPT_STOPPED("glide.socket.accept.stopped", Meter.Type.COUNTER, "stops",
			"Times the thread accepting the socket's connections ended unexpectedly (the socket no longer accepts)",
			GlideSocketMeters.SOCKET_TAG),

	/** References collected without being closed. */
	LEAKS("glide.socket.leaks", Meter.Type.COUNTER, "references",
			"References to the socket that were garbage-collected without being closed and were released",
			GlideSocketMeters.SOCKET_TAG),

	/** Time from the start of a socket's cleanup until its file is gone. */
	CLEANUP("glide.socket.cleanup", Meter.Type.TIMER, null,
			"Time from the last release (or the end of the cleanup delay) until the socket is closed and its file removed",
			GlideSocketMeters.SOCKET_TAG);

	/** The tag naming the socket. */
	public static final String SOCKET_TAG = "socket";

	/** The tag naming which of the application's callbacks failed. */
	public static final String CALLBACK_TAG = "callback";

	/** The tag naming why a connection was refused. */
	public static final String REASON_TAG = "reason";

	private final String meterName;

	private final Meter.Type type;

	private final @Nullable String baseUnit;

	private final String description;

	private final List<String> tagKeys;

	GlideSocketMeters(String meterName, Meter.Type type, @Nullable String baseUnit, String description,
			String... tagKeys) {
		this.meterName = meterName;
		this.type = type;
		this.baseUnit = baseUnit;
		this.description = description;
		this.tagKeys = List.of(tagKeys);
	}

	/**
	 * The meter's name.
	 * @return the name
	 */
	public String meterName() {
		return this.meterName;
	}

	/**
	 * The meter's type.
	 * @return the type
	 */
	public Meter.Type type() {
		return this.type;
	}

	/**
	 * The base unit, or {@code null} for a timer, whose unit the registry chooses.
	 * @return the base unit
	 */
	public @Nullable String baseUnit() {
		return this.baseUnit;
	}

	/**
	 * The meter's description.
	 * @return the description
	 */
	public String description() {
		return this.description;
	}

	/**
	 * The keys of the meter's tags.
	 * @return the tag keys
	 */
	public List<String> tagKeys() {
		return this.tagKeys;
	}

}
