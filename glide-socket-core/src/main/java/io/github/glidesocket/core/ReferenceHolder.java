package io.github.glidesocket.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A live {@link SocketReference} as the manager's leak detection tracks it: who holds a socket
 * open. Listed by {@link SocketManager#referenceHolders(String)}.
 *
 * @param identity identifies the handle among the socket's holders; see
 * {@link SocketManager#holderIdentity(SocketReference)}
 * @param acquiredAt when the handle was acquired: to within the manager's leak check interval
 * (a second), exactly when leak detection is {@link LeakDetection#PARANOID}
 * @param acquisitionSite where it was acquired, the caller's frame first, as
 * {@link StackTraceElement#toString()}; empty unless leak detection is
 * {@link LeakDetection#PARANOID}
 */
public record ReferenceHolder(int identity, Instant acquiredAt, List<String> acquisitionSite) {

	public ReferenceHolder {
		Objects.requireNonNull(acquiredAt, "'acquiredAt' must not be null");
		acquisitionSite = List.copyOf(acquisitionSite);
	}

}
