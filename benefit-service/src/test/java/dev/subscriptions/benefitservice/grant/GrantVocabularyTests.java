package dev.subscriptions.benefitservice.grant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Grant states and revocation reasons read back from the values they are shown and stored
 * as, in any case.
 */
class GrantVocabularyTests {

	@ParameterizedTest
	@EnumSource(GrantState.class)
	void readsEveryGrantStateFromItsValueInAnyCase(GrantState state) {
		assertThat(GrantState.of(state.value())).isEqualTo(state);
		assertThat(GrantState.of(state.value().toUpperCase(java.util.Locale.ROOT))).isEqualTo(state);
	}

	@ParameterizedTest
	@EnumSource(RevocationReason.class)
	void readsEveryRevocationReasonFromItsValue(RevocationReason reason) {
		assertThat(RevocationReason.of(reason.value())).isEqualTo(reason);
	}

	@Test
	void refusesAnUnknownStateNamingTheKnownOnes() {
		assertThatIllegalArgumentException().isThrownBy(() -> GrantState.of("zombie"))
			.withMessage("Unknown grant state zombie; one of [active, suspended, revoked]");
	}

	@Test
	void storesRevocationReasonsAsTheirLowerCaseNames() {
		assertThat(RevocationReason.CUSTOMER_DELETED.value()).isEqualTo("customer_deleted");
		assertThat(RevocationReason.SUBSCRIPTION_ENDED.value()).isEqualTo("subscription_ended");
		assertThat(RevocationReason.BENEFIT_DELETED.value()).isEqualTo("benefit_deleted");
	}

}
