package com.example.socketapp;

import java.io.OutputStream;

import io.github.glidesocket.core.SocketConnectionHandler;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * An application that uses the starter as the README shows: an echo handler on the default
 * socket, a handler bean named after the {@code admin} socket, and beans that inject references;
 * and a handler that shows a graceful stop, for the test's {@code drain} socket.
 */
@SpringBootApplication
public class SocketApplication {

	public static void main(String[] args) {
		SpringApplication.run(SocketApplication.class, args);
	}

	@Bean
	SocketConnectionHandler glideSocketHandler() { // serves the default socket: echoes every byte
		return (connection) -> connection.inputStream().transferTo(connection.outputStream());
	}

	@Bean
	SocketConnectionHandler admin() { // serves the socket named admin
		return (connection) -> connection.outputStream().write("admin\n".getBytes());
	}

	@Bean
	SocketConnectionHandler drain() { // serves the socket named drain: answers when its input ends
		return (connection) -> {
			connection.inputStream().transferTo(OutputStream.nullOutputStream());
			String reply = connection.isShutdownRequested() ? "stopping\n" : "bye\n";
			connection.outputStream().write(reply.getBytes());
		};
	}

}
