export { startSandbox } from './sandbox'
export type { Sandbox, SandboxOptions, SandboxUrls } from './sandbox'
export { STORY_STEPS } from './story'
export type { StoryReport, StoryStep } from './story'
