package io.github.glidesocket.sample.resp;

import java.io.IOException;
import java.util.List;

/**
 * A command or subcommand the server understands: its name, its arity, what it does, and the
 * lines {@code HELP} shows for it. The arity counts every argument, the command name included,
 * as Redis does: positive for exactly that many, negative for at least its absolute value.
 * <p>
 * Also the error texts and argument checks that commands share, worded as Redis words them.
 */
final class RespCommand {

	static final String NOT_AN_INTEGER = "ERR value is not an integer or out of range";

	static final String SYNTAX_ERROR = "ERR syntax error";

	private final String name;

	private final int arity;

	private final Action action;

	private final List<String> help;

	/**
	 * Create a command.
	 * @param name its name, in lower case
	 * @param arity its arity
	 * @param action what it does, once its arity is checked
	 * @param help the lines {@code HELP} shows for a subcommand
	 */
	RespCommand(String name, int arity, Action action, String... help) {
		this.name = name;
		this.arity = arity;
		this.action = action;
		this.help = List.of(help);
	}

	String name() {
		return this.name;
	}

	List<String> help() {
		return this.help;
	}

	boolean acceptsArguments(int count) {
		return (this.arity >= 0) ? count == this.arity : count >= -this.arity;
	}

	boolean matches(byte[] name) {
		return is(name, this.name);
	}

	void run(RespSession session, RespRequest request, RespWriter writer) throws IOException {
		this.action.run(session, request, writer);
	}

	/**
	 * The error of a request with too few or too many arguments.
	 * @param name the command's name, {@code container|name} for a subcommand
	 * @return the error text
	 */
	static String wrongArity(String name) {
		return "ERR wrong number of arguments for '" + name + "' command";
	}

	/**
	 * Whether an argument equals a lower-case ASCII word, ignoring case.
	 * @param argument the argument
	 * @param lowerCaseWord the word
	 * @return {@code true} if they are equal ignoring ASCII case
	 */
	static boolean is(byte[] argument, String lowerCaseWord) {
		if (argument.length != lowerCaseWord.length()) {
			return false;
		}
		for (int i = 0; i < argument.length; i++) {
			if (toLowerCase(argument[i]) != lowerCaseWord.charAt(i)) {
				return false;
			}
		}
		return true;
	}

	static int toLowerCase(byte character) {
		return (character >= 'A' && character <= 'Z') ? character + ('a' - 'A') : character & 0xFF;
	}

	/**
	 * What a command does with a request whose arity is right.
	 */
	@FunctionalInterface
	interface Action {

		void run(RespSession session, RespRequest request, RespWriter writer) throws IOException;

	}

}
