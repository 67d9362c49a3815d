package io.github.glidesocket.starter.docs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks an {@code ini} block of the guide as a systemd unit: each line (continued lines
 * joined) is a comment, a {@code [Section]} of a service or socket unit, or a
 * {@code Key=Value} inside a section; the {@code --glide.socket.*=} arguments of its
 * {@code Exec*} lines and the {@code GLIDE_SOCKET_*} variables of its {@code Environment} lines
 * name properties of the starter and have values they take.
 */
final class SystemdUnitChecker {

	private static final Set<String> SECTIONS = Set.of("Unit", "Service", "Socket", "Install");

	private static final Pattern SECTION = Pattern.compile("^\\[([^\\]]+)\\]$");

	private static final Pattern SETTING = Pattern.compile("^([A-Za-z][A-Za-z0-9]*)\\s*=\\s*(.*)$");

	private static final Pattern ARGUMENT = Pattern.compile("(?:^|\\s)--(glide\\.[^=\\s]+)(?:=(\\S*))?");

	private static final Pattern VARIABLE = Pattern.compile("\"([^\"=]+)=([^\"]*)\"|([^\\s\"=]+)=(\\S*)");

	private SystemdUnitChecker() {
	}

	static List<String> problems(String unit) {
		List<String> problems = new ArrayList<>();
		Map<String, String> arguments = new LinkedHashMap<>();
		Map<String, String> environment = new LinkedHashMap<>();
		String section = null;
		for (String line : unit.replaceAll("\\\\\\n", " ").split("\n")) {
			String text = line.strip();
			if (text.isEmpty() || text.startsWith("#") || text.startsWith(";")) {
				continue;
			}
			Matcher header = SECTION.matcher(text);
			Matcher setting = SETTING.matcher(text);
			if (header.matches()) {
				section = header.group(1);
				if (!SECTIONS.contains(section)) {
					problems.add("unknown section [" + section + "], expected one of " + SECTIONS.stream().sorted().toList());
				}
			}
			else if (!setting.matches()) {
				problems.add("neither [Section] nor Key=Value: " + text);
			}
			else if (section == null) {
				problems.add("setting before any section: " + text);
			}
			else if (setting.group(1).startsWith("Exec")) {
				Matcher argument = ARGUMENT.matcher(setting.group(2));
				while (argument.find()) {
					if (argument.group(2) == null) {
						problems.add(argument.group(1) + " has no value (--name=value)");
					}
					else {
						arguments.put(argument.group(1), argument.group(2));
					}
				}
			}
			else if (setting.group(1).equals("Environment")) {
				Matcher variable = VARIABLE.matcher(setting.group(2));
				while (variable.find()) {
					String name = (variable.group(1) != null) ? variable.group(1) : variable.group(3);
					String value = (variable.group(1) != null) ? variable.group(2) : variable.group(4);
					if (name.startsWith("GLIDE_")) {
						environment.put(name, value);
					}
				}
			}
		}
		problems.addAll(GlideSocketSettings.ofProperties(arguments));
		problems.addAll(GlideSocketSettings.ofEnvironment(environment));
		return problems;
	}

}
