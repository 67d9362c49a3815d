package com.example.socketapp;

import io.github.glidesocket.autoconfigure.GlideSocket;
import io.github.glidesocket.core.SocketReference;

import org.springframework.stereotype.Component;

/**
 * Holds a reference to the {@code admin} socket, injected through the constructor.
 */
@Component
class AdminClient {

	private final SocketReference socket; // its own reference, released when this bean is destroyed

	AdminClient(@GlideSocket("admin") SocketReference socket) {
		this.socket = socket;
	}

	SocketReference socket() {
		return this.socket;
	}

}
