package io.github.glidesocket.sample.resp;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The commands, or the subcommands of one command, looked up by a name's bytes ignoring ASCII
 * case without allocating: an open-addressing table hashed on the lower-case bytes.
 */
final class RespCommandTable {

	private final String container;

	private final List<RespCommand> commands;

	private final RespCommand[] slots;

	private final int mask;

	/**
	 * Create a table.
	 * @param container the command whose subcommands these are, or {@code null} for top-level
	 * commands
	 * @param commands the commands, in the order {@code HELP} lists them
	 */
	RespCommandTable(@Nullable String container, List<RespCommand> commands) {
		this.container = (container != null) ? container : "";
		this.commands = List.copyOf(commands);
		this.slots = new RespCommand[Integer.highestOneBit(commands.size() * 4 - 1) << 1];
		this.mask = this.slots.length - 1;
		for (RespCommand command : commands) {
			int slot = hash(command.name().getBytes(StandardCharsets.US_ASCII)) & this.mask;
			while (this.slots[slot] != null) {
				slot = (slot + 1) & this.mask;
			}
			this.slots[slot] = command;
		}
	}

	/**
	 * The command whose subcommands these are.
	 * @return its name, empty for top-level commands
	 */
	String container() {
		return this.container;
	}

	List<RespCommand> commands() {
		return this.commands;
	}

	int size() {
		return this.commands.size();
	}

	@Nullable RespCommand find(byte[] name) {
		for (int slot = hash(name) & this.mask;; slot = (slot + 1) & this.mask) {
			RespCommand command = this.slots[slot];
			if (command == null || command.matches(name)) {
				return command;
			}
		}
	}

	private static int hash(byte[] name) {
		int hash = 0;
		for (byte character : name) {
			hash = 31 * hash + RespCommand.toLowerCase(character);
		}
		return hash ^ (hash >>> 16);
	}

}
