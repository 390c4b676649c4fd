package dev.subscriptions.localstack;

import java.util.Map;

import dev.subscriptions.eventing.consumer.DeadLetterReplayer;

/**
 * {@code replay <dead-letter-topic> [--to <topic>] [--bootstrap-servers localhost:9092] [--group dead-letter-replay] [--command-config FILE]}:
 * sends the dead letters not replayed before back to the topic each came from (or to
 * {@code --to}), with their original bytes, key and headers, and prints how many went
 * where. The group's committed offsets remember what was replayed, so running it again
 * sends only newer dead letters; consumers are idempotent, so a record sent twice has one
 * effect. See {@link DeadLetterReplayer}.
 * <p>
 * {@code --command-config} names a Kafka client properties file, as Kafka's own command
 * line tools take it ({@code security.protocol}, {@code sasl.mechanism},
 * {@code sasl.jaas.config}, {@code ssl.truststore.*}, ...), for a secured cluster; see
 * {@link TopicTail#clientProperties(String[], String)}.
 */
final class DeadLetterReplay {

	private DeadLetterReplay() {
	}

	static void main(String[] args) {
		if (args.length < 2 || args[1].startsWith("--")) {
			System.err.println("usage: replay <dead-letter-topic> [--to <topic>] [--bootstrap-servers localhost:9092]"
					+ " [--group dead-letter-replay] [--command-config FILE]");
			System.exit(2);
		}
		String deadLetterTopic = args[1];
		String target = option(args, "--to", null);
		String group = option(args, "--group", "dead-letter-replay");
		try {
			Map<String, Integer> sent = new DeadLetterReplayer(TopicTail.clientProperties(args, "--bootstrap-servers"),
					group)
				.replay(deadLetterTopic, target);
			if (sent.isEmpty()) {
				System.out.println("Nothing to replay from " + deadLetterTopic + " for group " + group);
			}
			sent.forEach((topic, count) -> System.out
				.println("Replayed " + count + " dead letters from " + deadLetterTopic + " to " + topic));
		}
		catch (RuntimeException ex) {
			System.err.println("Replay of " + deadLetterTopic + " stopped: " + ex.getMessage()
					+ ((ex.getCause() != null) ? " (" + ex.getCause().getMessage() + ")" : ""));
			System.exit(1);
		}
	}

	private static String option(String[] args, String name, String fallback) {
		for (int i = 0; i < args.length - 1; i++) {
			if (args[i].equals(name)) {
				return args[i + 1];
			}
		}
		return fallback;
	}

}
