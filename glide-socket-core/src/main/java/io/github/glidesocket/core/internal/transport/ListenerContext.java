package io.github.glidesocket.core.internal.transport;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

import io.github.glidesocket.core.SocketEventListener;

/**
 * What a manager shares with all its listeners: where connections run, who hears about events,
 * and the source of connection ids.
 *
 * @param managerName the manager's name, used in thread names
 * @param connectionExecutor runs one task per connection served on its own thread
 * @param eventLoops serve the connections of sockets in event-loop mode
 * @param events receives events, never throws
 * @param connectionIds the source of connection ids
 */
public record ListenerContext(String managerName, Executor connectionExecutor, EventLoops eventLoops, SocketEventListener events,
		AtomicLong connectionIds) {
}
