/**
 * The one way the actions set their step outputs: only names action.yml declares (BUILD_OUTPUTS,
 * VERIFY_OUTPUTS in action-yml.ts, from which action.yml is generated), so an undeclared output
 * is a compile error rather than a value no workflow can read.
 */
import * as core from '@actions/core';
import type { BuildOutputName, VerifyOutputName } from './action-yml.js';

/** Set the build action's outputs; a value left undefined is not set. */
export function setBuildOutputs(values: Partial<Record<BuildOutputName, string>>): void {
  setOutputs(values);
}

/** Set the verify action's outputs; a value left undefined is not set. */
export function setVerifyOutputs(values: Partial<Record<VerifyOutputName, string>>): void {
  setOutputs(values);
}

function setOutputs(values: Partial<Record<string, string>>): void {
  for (const [name, value] of Object.entries(values)) if (value !== undefined) core.setOutput(name, value);
}
