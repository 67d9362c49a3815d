package io.github.glidesocket.core;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What a {@link SocketManager.Builder} collected: the input of a {@link SocketManagerProvider}.
 * Paths are as given; the provider checks them.
 *
 * @param name the manager's name, used in thread names and messages
 * @param defaults the options of sockets that have none of their own
 * @param socketOptions options by socket path
 * @param maxSockets the most sockets bound at once, or {@code -1} for no limit
 * @param leakDetection how unclosed references are found
 * @param virtualThreads whether virtual threads were requested for connection handlers
 * @param eventLoopThreads how many event-loop threads serve event-handler sockets
 * @param eventListeners listeners of socket events, in order
 * @param fileCheckInterval how often socket files are checked, or zero for never
 * @param shutdownHook whether a JVM shutdown hook closes the manager
 * @param defaultPath the path used when a listener is started without one, or {@code null}
 * @param maxBufferedBytes the bytes event-loop connections may hold in buffers of their own, or
 * {@code -1} for no limit
 * @param holdTakeovers whether takeovers wait for {@link SocketManager#completeTakeovers()}
 */
public record SocketManagerSettings(String name, SocketOptions defaults, Map<String, SocketOptions> socketOptions,
		int maxSockets, LeakDetection leakDetection, boolean virtualThreads, int eventLoopThreads,
		List<SocketEventListener> eventListeners, Duration fileCheckInterval, boolean shutdownHook,
		@Nullable String defaultPath, long maxBufferedBytes, boolean holdTakeovers) {

	public SocketManagerSettings {
		socketOptions = Map.copyOf(socketOptions);
		eventListeners = List.copyOf(eventListeners);
	}

	/**
	 * Settings whose takeovers complete as they bind.
	 */
	public SocketManagerSettings(String name, SocketOptions defaults, Map<String, SocketOptions> socketOptions,
			int maxSockets, LeakDetection leakDetection, boolean virtualThreads, int eventLoopThreads,
			List<SocketEventListener> eventListeners, Duration fileCheckInterval, boolean shutdownHook,
			@Nullable String defaultPath, long maxBufferedBytes) {
		this(name, defaults, socketOptions, maxSockets, leakDetection, virtualThreads, eventLoopThreads, eventListeners,
				fileCheckInterval, shutdownHook, defaultPath, maxBufferedBytes, false);
	}

}
