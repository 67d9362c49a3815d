package io.github.glidesocket.sample.client;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Creates, lists, pings and closes {@link KeyValueClient clients}, so the socket's reference
 * count can be watched moving in the actuator.
 */
@RestController
@RequestMapping("/clients")
class ClientController {

	private final ClientRegistry clients;

	ClientController(ClientRegistry clients) {
		this.clients = clients;
	}

	@PostMapping
	ResponseEntity<ClientDescriptor> create() {
		return ResponseEntity.status(HttpStatus.CREATED).body(ClientDescriptor.of(this.clients.open()));
	}

	@GetMapping
	List<ClientDescriptor> list() {
		return this.clients.all().stream().map(ClientDescriptor::of).toList();
	}

	@GetMapping("/{id}/ping")
	ResponseEntity<PingResult> ping(@PathVariable long id) {
		return this.clients.find(id)
			.map((client) -> ResponseEntity.ok(new PingResult(id, ping(client))))
			.orElseGet(() -> ResponseEntity.notFound().build());
	}

	private static String ping(KeyValueClient client) {
		try {
			return client.ping();
		}
		catch (IOException | IllegalStateException ex) {
			// IllegalStateException: the client was closed by a concurrent DELETE, or released its
			// reference because its socket is shutting down.
			return "error: " + ex.getMessage();
		}
	}

	@DeleteMapping("/{id}")
	ResponseEntity<Void> delete(@PathVariable long id) {
		return this.clients.close(id) ? ResponseEntity.noContent().build() : ResponseEntity.notFound().build();
	}

	/**
	 * A client, as the endpoints describe it.
	 *
	 * @param id the client id
	 * @param socket the socket path
	 * @param state {@code active}, {@code stopping} (told that its socket is shutting down) or
	 * {@code released} (its reference let go when its socket shut down)
	 * @param active whether its reference is active
	 * @param references the socket's reference count
	 * @param createdAt when the client was created
	 */
	record ClientDescriptor(long id, String socket, String state, boolean active, int references, Instant createdAt) {

		static ClientDescriptor of(KeyValueClient client) {
			return new ClientDescriptor(client.getId(), client.getSocket().path(),
					client.getState().name().toLowerCase(Locale.ROOT), client.getSocket().isActive(),
					client.getSocket().referenceCount(), client.getCreatedAt());
		}

	}

	/**
	 * The reply to a ping over the socket.
	 *
	 * @param id the client id
	 * @param reply the reply line
	 */
	record PingResult(long id, String reply) {
	}

}
