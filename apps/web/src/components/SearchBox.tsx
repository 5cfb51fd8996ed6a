import { Input } from 'antd';

/** A list's search box: searches on Enter (or the button), and shows the whole list again once emptied. */
export function SearchBox({ placeholder, onSearch, testId }: { placeholder: string; onSearch: (query: string) => void; testId: string }) {
  return <Input.Search allowClear placeholder={placeholder} onSearch={onSearch} onChange={(e) => !e.target.value && onSearch('')} style={{ width: 240 }} data-testid={testId} />;
}
