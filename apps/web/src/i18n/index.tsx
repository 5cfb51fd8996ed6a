import { ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { createContext, ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { codeLabel, en, MessageKey, zh } from './messages';

export type Lang = 'zh' | 'en';
const STORAGE_KEY = 'lianban.lang';

interface I18n {
  lang: Lang;
  t: (key: MessageKey) => string;
  /** The label of an API code (state, action, route, source, agency kind, verdict). */
  c: (code: string | null | undefined) => string;
  setLang: (lang: Lang) => void;
}

const Ctx = createContext<I18n>({ lang: 'zh', t: (k) => zh[k], c: (x) => codeLabel('zh', x), setLang: () => undefined });

function savedLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

/** Chinese first, English as a switch; antd's own texts (pagination, date pickers) follow. */
export function I18nProvider({ children, initial }: { children: ReactNode; initial?: Lang }) {
  const [lang, setLangState] = useState<Lang>(initial ?? savedLang());
  const setLang = useCallback((l: Lang) => {
    setLangState(l);
    try {
      localStorage.setItem(STORAGE_KEY, l);
    } catch {
      // not kept
    }
    document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
  }, []);
  const value = useMemo<I18n>(() => ({ lang, setLang, t: (k) => (lang === 'zh' ? zh[k] : en[k]), c: (x) => codeLabel(lang, x) }), [lang, setLang]);
  return (
    <Ctx.Provider value={value}>
      <ConfigProvider locale={lang === 'zh' ? zhCN : enUS} theme={{ token: { fontFamily: 'system-ui, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif' } }}>
        {children}
      </ConfigProvider>
    </Ctx.Provider>
  );
}

export function useI18n(): I18n {
  return useContext(Ctx);
}
