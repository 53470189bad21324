/** Entry of the action bundle (dist/index.js). PLACEHOLDER until the Action: issue lands. */
import * as core from '@actions/core';

core.setFailed('isoforge action: not available yet');
