/** The guide robot 浏浏: ask, answer, suggestions, help requests (filled in by the robot capability). */
export const robotApi = {};
export const robotEvents = {};
