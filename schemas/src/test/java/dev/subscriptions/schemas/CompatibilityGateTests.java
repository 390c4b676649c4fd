package dev.subscriptions.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;

/**
 * The build fails here when a schema changes in a way that breaks a reader or a writer of
 * a published version. Published versions live in
 * {@code schemas/published/<topic>/<full record name>/v<N>.avsc} and are never edited.
 */
class CompatibilityGateTests {

	private static final Path PUBLISHED = Path.of("published");

	private static final String BASE = """
			{"type": "record", "name": "Thing", "namespace": "test", "fields": [
			  {"name": "id", "type": "string"},
			  {"name": "amount", "type": "long"}
			]}""";

	@Test
	void keepsEveryCurrentSchemaCompatibleWithEveryPublishedVersion() {
		for (Topic topic : Topic.values()) {
			for (Schema current : topic.eventSchemas()) {
				List<Schema> published = published(topic, current);
				assertThat(published).as("published versions of %s", topic.subject(current)).isNotEmpty();
				assertThat(CompatibilityGate.violations(current, published)).as(topic.subject(current)).isEmpty();
			}
		}
	}

	@Test
	void keepsTheCurrentVersionOfEverySchemaAmongThePublishedOnes() {
		for (Topic topic : Topic.values()) {
			for (Schema current : topic.eventSchemas()) {
				Schema latest = published(topic, current).get(published(topic, current).size() - 1);
				assertThat(SchemaNormalization.toParsingForm(latest))
					.as("%s changed: copy it to the next v<N>.avsc of %s", current.getFullName(), topic.topicName())
					.isEqualTo(SchemaNormalization.toParsingForm(current));
			}
		}
	}

	@Test
	void rejectsAFieldAddedWithoutDefault() {
		Schema changed = parse(BASE.replace("]}", ", {\"name\": \"currency\", \"type\": \"string\"}]}"));

		assertThat(CompatibilityGate.violations(changed, List.of(parse(BASE)))).singleElement()
			.asString()
			.contains("cannot read version 1", "READER_FIELD_MISSING_DEFAULT_VALUE", "currency");
	}

	@Test
	void rejectsAFieldRemovedWithoutDefault() {
		Schema changed = parse(
				"""
						{"type": "record", "name": "Thing", "namespace": "test", "fields": [{"name": "id", "type": "string"}]}""");

		assertThat(CompatibilityGate.violations(changed, List.of(parse(BASE)))).singleElement()
			.asString()
			.contains("version 1 cannot read it", "amount");
	}

	@Test
	void rejectsAChangedFieldType() {
		Schema changed = parse(BASE.replace("\"long\"", "\"string\""));

		assertThat(CompatibilityGate.violations(changed, List.of(parse(BASE)))).hasSize(2);
	}

	@Test
	void rejectsAChangeIncompatibleWithAnOlderVersionOnly() {
		Schema v1 = parse(BASE);
		Schema v2 = parse(
				BASE.replace("]}", ", {\"name\": \"note\", \"type\": [\"null\", \"string\"], \"default\": null}]}"));
		Schema v3 = parse(
				BASE.replace("\"amount\", \"type\": \"long\"", "\"amount\", \"type\": \"long\", \"default\": 0")
					.replace("]}", ", {\"name\": \"note\", \"type\": \"int\", \"default\": 0}]}"));

		assertThat(CompatibilityGate.violations(v2, List.of(v1))).isEmpty();
		assertThat(CompatibilityGate.violations(v3, List.of(v1, v2))).isNotEmpty();
	}

	@Test
	void acceptsAnOptionalFieldWithDefault() {
		Schema changed = parse(
				BASE.replace("]}", ", {\"name\": \"note\", \"type\": [\"null\", \"string\"], \"default\": null}]}"));

		assertThat(CompatibilityGate.violations(changed, List.of(parse(BASE)))).isEmpty();
	}

	private static List<Schema> published(Topic topic, Schema current) {
		Path directory = PUBLISHED.resolve(topic.topicName()).resolve(current.getFullName());
		if (!Files.isDirectory(directory)) {
			return List.of();
		}
		try (Stream<Path> files = Files.list(directory)) {
			return files.filter(file -> file.getFileName().toString().matches("v\\d+\\.avsc"))
				.sorted(Comparator.comparingInt(CompatibilityGateTests::versionOf))
				.map(CompatibilityGateTests::read)
				.toList();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static int versionOf(Path file) {
		String name = file.getFileName().toString();
		return Integer.parseInt(name.substring(1, name.length() - ".avsc".length()));
	}

	private static Schema read(Path file) {
		try {
			return parse(Files.readString(file));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Schema parse(String json) {
		return new Schema.Parser().parse(json);
	}

}
