/** One line saying what to do when this Node is too old for cutover, or undefined when it will do. */
export function nodeVersionProblem(version: string): string | undefined;
