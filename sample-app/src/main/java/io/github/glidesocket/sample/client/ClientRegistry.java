package io.github.glidesocket.sample.client;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The open {@link KeyValueClient clients}. Closing the registry (at context close) closes them
 * all.
 */
@Component
public class ClientRegistry implements DisposableBean {

	private final ObjectProvider<KeyValueClient> factory;

	private final Map<Long, KeyValueClient> clients = new ConcurrentSkipListMap<>();

	ClientRegistry(ObjectProvider<KeyValueClient> factory) {
		this.factory = factory;
	}

	public KeyValueClient open() {
		KeyValueClient client = this.factory.getObject();
		this.clients.put(client.getId(), client);
		return client;
	}

	public Collection<KeyValueClient> all() {
		return this.clients.values();
	}

	public Optional<KeyValueClient> find(long id) {
		return Optional.ofNullable(this.clients.get(id));
	}

	public boolean close(long id) {
		KeyValueClient client = this.clients.remove(id);
		if (client == null) {
			return false;
		}
		client.close();
		return true;
	}

	@Override
	public void destroy() {
		this.clients.values().forEach(KeyValueClient::close);
		this.clients.clear();
	}

}
