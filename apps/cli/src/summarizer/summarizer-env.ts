/**
 * Set in the environment of the Claude Code the summarizer runs: its own hooks (inherited from the
 * technician's settings) see it and do nothing, so summarising a session never records, summarises
 * or injects memory into the summarizer's session. `--settings {"disableAllHooks": true}` says
 * the same to Claude Code; this covers a Claude Code that ignores it.
 */
export const summarizerRunEnv = "MSP_SUMMARIZER_RUN";
