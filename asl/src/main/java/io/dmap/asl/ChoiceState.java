package io.dmap.asl;

import java.util.List;

/** Choice: the first rule that matches decides the next state, else {@code defaultNext} (may be null). */
public record ChoiceState(StateFrame frame, List<ChoiceRule.Branch> choices, String defaultNext) implements State { }
