package io.github.glidesocket.autoconfigure;

import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketReference;

import org.springframework.beans.factory.InjectionPoint;

/**
 * Makes the reference of each injection point: the factory of the prototype
 * {@link SocketReference} bean of each configured socket (see {@link SocketReferenceBeans}).
 */
final class SocketReferenceFactory {

	private final SocketManager manager;

	private final ConfiguredSockets sockets;

	private final InjectedSocketReferences references;

	SocketReferenceFactory(SocketManager manager, ConfiguredSockets sockets, InjectedSocketReferences references) {
		this.manager = manager;
		this.sockets = sockets;
		this.references = references;
	}

	/**
	 * A new reference to the socket of this name, for this injection point.
	 * @param socketName the configured socket's name
	 * @param injectionPoint where the reference is injected
	 * @return a new reference
	 */
	SocketReference reference(String socketName, InjectionPoint injectionPoint) {
		return this.references.acquire(socketName, injectionPoint, this.manager, this.sockets);
	}

}
