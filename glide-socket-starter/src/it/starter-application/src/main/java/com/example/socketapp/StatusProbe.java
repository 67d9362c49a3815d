package com.example.socketapp;

import io.github.glidesocket.autoconfigure.GlideSocket;
import io.github.glidesocket.core.SocketReference;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Holds a reference to the default socket, injected into a field.
 */
@Component
class StatusProbe {

	@Autowired
	@GlideSocket
	private SocketReference socket;

	SocketReference socket() {
		return this.socket;
	}

}
